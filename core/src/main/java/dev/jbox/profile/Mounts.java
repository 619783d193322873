package dev.jbox.profile;

import dev.jbox.spec.MountSpec;

import java.nio.file.Path;
import java.util.List;

/** One {@code [[mount]]} table → a MountSpec, with the rules that tie its keys to its type. */
final class Mounts {
    private static final ValueType<String> TYPE = ValueType.oneOf(List.of("bind", "tmpfs"), w -> w);

    private Mounts() {}

    /** Reads the mount table at {@code at}; a wrong key is reported where it is, a wrong combination at the table. */
    static MountSpec read(TomlSection m, Value at) {
        int before = at.source().problemCount();
        String type = m.get("type", TYPE);
        Path source = m.get("source", ProfileTypes.HOST_PATH);
        String target = m.get("target", ProfileTypes.SANDBOX_PATH);
        Boolean readOnly = m.get("read_only", ValueType.BOOLEAN);
        String options = m.get("options", ValueType.STRING);
        if (at.source().problemCount() > before) throw Value.AlreadyReported.INSTANCE;
        if ("tmpfs".equals(type)) {
            if (source != null) throw new InvalidValue("a tmpfs mount has no `source` (remove it, or use type = \"bind\")");
            if (readOnly != null) throw new InvalidValue("`read_only` applies to bind mounts; a tmpfs takes `options`");
            if (target == null) throw new InvalidValue("a tmpfs mount needs `target`, an absolute path inside the sandbox");
            return new MountSpec.Tmpfs(target, options == null ? "" : options);
        }
        if (options != null) throw new InvalidValue("`options` applies to tmpfs mounts; a bind mount takes `read_only`");
        if (source == null) throw new InvalidValue("a bind mount needs `source`, the host path to bind (type defaults to \"bind\")");
        return new MountSpec.Bind(source, target == null ? source.toString() : target, readOnly != null && readOnly);
    }
}
