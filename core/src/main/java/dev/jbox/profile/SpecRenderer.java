package dev.jbox.profile;

import dev.jbox.spec.Limits;
import dev.jbox.spec.MountSpec;
import dev.jbox.spec.PortMapping;
import dev.jbox.spec.RootFs;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.spec.SecuritySpec;
import org.tomlj.Toml;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The resolved spec as profile TOML, for {@code jbox run --dry-run}: every field in a fixed
 * order, defaults written out, sets sorted, so the text is stable and diffable. Loading the
 * output as a profile gives the same spec back (stdio and die-with-parent, which profiles do not
 * hold, appear as comments).
 */
public final class SpecRenderer {
    private SpecRenderer() {}

    public static String render(SandboxSpec spec) {
        return render(spec, Map.of());
    }

    /** With the plugins' sections ({@link Profile#plugins()}) appended. */
    public static String render(SandboxSpec spec, Map<String, Map<String, Object>> plugins) {
        StringBuilder out = new StringBuilder("# resolved sandbox spec\n");
        top(spec, out);
        if (!spec.env().isEmpty()) {
            out.append("\n[env]\n");
            spec.env().forEach((name, value) -> line(out, name, string(value)));
        }
        for (MountSpec m : spec.mounts()) mount(m, out);
        out.append("\n[network]\n");
        line(out, "mode", string(spec.network().mode().label()));
        line(out, "ports", array(spec.network().ports().stream().map(PortMapping::toString).map(SpecRenderer::string).toList()));
        line(out, "allow_host_loopback", String.valueOf(spec.network().allowHostLoopback()));
        line(out, "allow_host_abstract_sockets", String.valueOf(spec.network().allowHostAbstractSockets()));
        limits(spec, out);
        security(spec.security(), out);
        if (spec.rootfs() instanceof RootFs.Image i && !i.storageOptions().isEmpty()) {
            out.append("\n[storage_opt]\n");
            // A dotted TOML key: overlay.mount_program reads back as that one name.
            i.storageOptions().forEach((name, value) -> line(out,
                    java.util.Arrays.stream(name.split("\\.", -1)).map(SpecRenderer::key).collect(Collectors.joining(".")), string(value)));
        }
        plugins.forEach((id, table) -> {
            out.append("\n[plugins.").append(key(id)).append("]\n");
            table.forEach((k, v) -> line(out, key(k), value(v)));
        });
        return out.toString();
    }

    private static void top(SandboxSpec spec, StringBuilder out) {
        line(out, "command", array(spec.command().stream().map(SpecRenderer::string).toList()));
        switch (spec.rootfs()) {
            case RootFs.Host h -> out.append("# rootfs: the host's / (bound read-only)\n");
            case RootFs.Directory d -> line(out, "rootfs", path(d.path().toString()));
            case RootFs.Image i -> line(out, "image", string(i.reference()));
        }
        line(out, "read_only", String.valueOf(spec.readOnly()));
        optional(out, "hostname", spec.hostname(), "default (jbox)");
        if (spec.workdir() == null) out.append("# workdir: default (the current directory on the host root, / otherwise)\n");
        else line(out, "workdir", path(spec.workdir()));
        line(out, "user", string(spec.identity().uid() + ":" + spec.identity().gid()));
        line(out, "userns", string(spec.identity().userns().name().toLowerCase(java.util.Locale.ROOT)));
        line(out, "stop_timeout", string(Durations.format(spec.stopTimeout())));
        optional(out, "name", spec.name(), "none");
        out.append("# stdin = ").append(redirect(spec.stdin())).append(", stdout = ").append(redirect(spec.stdout()))
                .append(", stderr = ").append(redirect(spec.stderr())).append(", die_with_parent = ")
                .append(spec.dieWithParent()).append('\n');
    }

    private static void mount(MountSpec m, StringBuilder out) {
        out.append("\n[[mount]]\n");
        switch (m) {
            case MountSpec.Bind b -> {
                line(out, "type", string("bind"));
                line(out, "source", path(b.source().toString()));
                line(out, "target", path(b.target()));
                line(out, "read_only", String.valueOf(b.readOnly()));
            }
            case MountSpec.Tmpfs t -> {
                line(out, "type", string("tmpfs"));
                line(out, "target", path(t.target()));
                if (!t.options().isEmpty()) line(out, "options", string(t.options()));
            }
        }
    }

    private static void limits(SandboxSpec spec, StringBuilder out) {
        Limits l = spec.limits();
        out.append("\n[limits]\n");
        if (l.memoryBytes() != null) line(out, "memory", size(l.memoryBytes()));
        if (l.memorySwapBytes() != null) line(out, "memory_swap", l.memorySwapBytes() == -1 ? "-1" : size(l.memorySwapBytes()));
        if (l.cpus() != null) line(out, "cpus", String.valueOf(l.cpus()));
        if (l.pidsLimit() != null) line(out, "pids", String.valueOf(l.pidsLimit()));
        if (l.cpuWeight() != null) line(out, "cpu_weight", String.valueOf(l.cpuWeight()));
        if (l.ioWeight() != null) line(out, "io_weight", String.valueOf(l.ioWeight()));
        line(out, "cgroup_manager", string(spec.cgroupManager().label()));
    }

    private static void security(SecuritySpec s, StringBuilder out) {
        out.append("\n[security]\n");
        line(out, "seccomp", switch (s.seccomp()) {
            case SecuritySpec.Seccomp.Default d -> string("default");
            case SecuritySpec.Seccomp.Unconfined u -> string("unconfined");
            case SecuritySpec.Seccomp.ProfileFile f -> path(f.path().toString());
        });
        line(out, "cap_add", sortedStrings(s.capAdd()));
        line(out, "cap_drop", sortedStrings(s.capDrop()));
    }

    private static void optional(StringBuilder out, String key, String value, String unset) {
        if (value == null) out.append("# ").append(key).append(": ").append(unset).append('\n');
        else line(out, key, string(value));
    }

    private static void line(StringBuilder out, String key, String renderedValue) {
        out.append(key).append(" = ").append(renderedValue).append('\n');
    }

    /** Sizes in the largest unit that is exact: {@code "512m"}, else bytes. */
    private static String size(long bytes) {
        String units = "tgmk";
        for (int i = 0; i < units.length(); i++) {
            long unit = 1L << (10 * (4 - i));
            if (bytes % unit == 0) return string(bytes / unit + String.valueOf(units.charAt(i)));
        }
        return String.valueOf(bytes);
    }

    private static String redirect(ProcessBuilder.Redirect r) {
        String type = r.type().name().toLowerCase(java.util.Locale.ROOT);
        return r.file() == null ? type : type + " " + r.file();
    }

    /** A path value: {@code $} doubled, since loading expands {@code ${…}} in paths. */
    private static String path(String p) {
        return string(p.replace("$", "$$"));
    }

    private static String string(String s) {
        return "\"" + Toml.tomlEscape(s) + "\"";
    }

    private static String array(List<String> renderedElements) {
        return "[" + String.join(", ", renderedElements) + "]";
    }

    private static String sortedStrings(Collection<String> values) {
        return array(values.stream().sorted().map(SpecRenderer::string).toList());
    }

    private static String key(String k) {
        return k.matches("[A-Za-z0-9_-]+") ? k : string(k);
    }

    /** A plugin value: the plain Java values {@link PluginTables} produces. */
    private static String value(Object v) {
        return switch (v) {
            case String s -> string(s);
            case List<?> list -> array(list.stream().map(SpecRenderer::value).toList());
            case Map<?, ?> map -> map.entrySet().stream().map(e -> key(e.getKey().toString()) + " = " + value(e.getValue()))
                    .collect(Collectors.joining(", ", "{ ", " }"));
            default -> v.toString();
        };
    }
}
