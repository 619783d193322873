package dev.jbox.profile;

import dev.jbox.spec.CgroupManager;
import dev.jbox.spec.Limits;
import dev.jbox.spec.MountSpec;
import dev.jbox.spec.NetworkMode;
import dev.jbox.spec.PortMapping;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.spec.SecuritySpec;
import dev.jbox.spec.SpecException;
import dev.jbox.spec.UserNamespaceMode;
import org.tomlj.TomlTable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** The value types of profile keys: what each accepts, how it reads, and what it says when it does not fit. */
final class ProfileTypes {
    private ProfileTypes() {}

    /** A host path: {@code ${VAR}} and {@code ~} expanded, relative to the profile's directory. */
    static final ValueType<Path> HOST_PATH = new ValueType<>("a string (a host path)", v -> {
        ValueType.STRING.read(v);
        return v.path();
    });

    /** A path inside the sandbox: expanded like a host path, but it must be absolute. */
    static final ValueType<String> SANDBOX_PATH = new ValueType<>("a string (an absolute path inside the sandbox)", v -> {
        String expanded = v.source().expander().expand(ValueType.STRING.read(v));
        if (!expanded.startsWith("/")) throw new InvalidValue(Texts.quote(expanded) + " must be an absolute path (inside the sandbox)");
        return Path.of(expanded).normalize().toString();
    });

    /** argv; {@code []} means "the image's own command" and is valid only with an image. */
    static final ValueType<List<String>> COMMAND = new ValueType<>("an array of strings (argv)", v -> {
        List<String> argv = TomlSection.arrayOf("an array of strings", ValueType.STRING).read(v);
        if (argv.size() < v.elements().size()) throw Value.AlreadyReported.INSTANCE;
        if (!argv.isEmpty() && argv.getFirst().isEmpty()) throw new InvalidValue("the program (first element) is an empty string");
        return argv;
    });

    static final ValueType<String> HOSTNAME = bySpec(ValueType.STRING, (b, h) -> b.hostname(h));
    static final ValueType<String> NAME = bySpec(ValueType.STRING, (b, n) -> b.name(n));

    static final ValueType<Profile.User> USER = new ValueType<>("a string like \"1000:1000\" (UID[:GID]) or an integer", v -> {
        if (v.raw() instanceof Long uid) {
            if (uid < 0 || uid > Integer.MAX_VALUE) throw new InvalidValue("expected a uid from 0 to " + Integer.MAX_VALUE + ", got " + uid);
            return new Profile.User(uid.intValue(), uid.intValue());
        }
        var id = dev.jbox.spec.Identity.parseUser(UserNamespaceMode.SINGLE, ValueType.STRING.read(v));
        return new Profile.User(id.uid(), id.gid());
    });

    static final ValueType<UserNamespaceMode> USERNS =
            ValueType.oneOf(List.of("single", "auto"), w -> UserNamespaceMode.valueOf(w.toUpperCase(Locale.ROOT)));

    static final ValueType<NetworkMode> NETWORK_MODE =
            ValueType.oneOf(List.of("none", "host", "slirp", "slirp4netns", "pasta", "auto"), NetworkMode::parse);

    static final ValueType<CgroupManager> CGROUP_MANAGER =
            ValueType.oneOf(List.of("auto", "systemd", "cgroupfs", "disabled"), CgroupManager::parse);

    static final ValueType<Duration> DURATION = new ValueType<>("a string like \"10s\" or an integer (seconds)", v -> {
        if (v.raw() instanceof Long seconds) {
            if (seconds < 0) throw new InvalidValue("expected 0 or more seconds, got " + seconds);
            return Durations.checked(Duration.ofSeconds(seconds), seconds + "s");
        }
        return Durations.parse(ValueType.STRING.read(v));
    });

    /** A size in bytes: an integer, or a string with a k/m/g/t suffix (powers of 1024). */
    static final ValueType<Long> SIZE = new ValueType<>("a string like \"512m\" or an integer (bytes)", v -> {
        long bytes = v.raw() instanceof Long l ? l : parseSize(v.string());
        if (bytes <= 0) throw new InvalidValue("expected a positive size, got " + bytes);
        return bytes;
    });

    /** {@code memory_swap}: a size, or -1 for unlimited swap. */
    static final ValueType<Long> SWAP = new ValueType<>("a string like \"1g\", an integer (bytes), or -1 (unlimited)", v -> {
        if (v.raw() instanceof Long l && l == -1 || "-1".equals(v.raw())) return -1L;
        return SIZE.read(v);
    });

    static final ValueType<Double> CPUS = new ValueType<>("a number like 1.5 (CPUs)", v -> {
        double cpus = v.number();
        if (!(cpus > 0) || Double.isInfinite(cpus)) throw new InvalidValue("expected a positive number of CPUs like 0.5 or 2, got " + cpus);
        return cpus;
    });

    static final ValueType<Long> PIDS = ValueType.integer(1, Long.MAX_VALUE);
    static final ValueType<Long> WEIGHT = ValueType.integer(1, 10_000);

    static final ValueType<SecuritySpec.Seccomp> SECCOMP = new ValueType<>("\"default\", \"unconfined\" or a path to a seccomp profile", v ->
            switch (ValueType.STRING.read(v)) {
                case "default" -> SecuritySpec.Seccomp.DEFAULT;
                case "unconfined" -> SecuritySpec.Seccomp.UNCONFINED;
                default -> new SecuritySpec.Seccomp.ProfileFile(v.path());
            });

    private static final Pattern CAPABILITY = Pattern.compile("(CAP_)?[A-Z][A-Z0-9_]*");

    /** A capability name, written as podman accepts it ({@code net_raw}, {@code CAP_NET_RAW}); canonical form {@code CAP_NET_RAW} or {@code ALL}. */
    static final ValueType<String> CAPABILITY_NAME = new ValueType<>("a string like \"CAP_NET_RAW\" or \"ALL\"", v -> {
        String name = ValueType.STRING.read(v).toUpperCase(Locale.ROOT);
        if (name.equals("ALL")) return name;
        if (!CAPABILITY.matcher(name).matches()) throw new InvalidValue(Texts.quote(v.string()) + " is not a capability name like \"CAP_NET_RAW\" or \"ALL\"");
        return name.startsWith("CAP_") ? name : "CAP_" + name;
    });

    /** One published port: {@code "[IP:]HOST_PORT:PORT[/tcp|udp]"} or a table with the same parts. */
    static final ValueType<PortMapping> PORT = new ValueType<>(
            "a string like \"8080:80\" or a table like { host_port = 8080, sandbox_port = 80 }", v -> {
        if (!(v.raw() instanceof TomlTable)) return PortMapping.parse(ValueType.STRING.read(v));
        TomlSection t = v.table();
        int before = v.source().problemCount();
        String ip = t.get("host_ip", ValueType.STRING);
        Long host = t.get("host_port", ValueType.integer(1, 65535));
        Long port = t.get("sandbox_port", ValueType.integer(1, 65535));
        String protocol = t.get("protocol", ValueType.oneOf(List.of("tcp", "udp"), w -> w));
        if (v.source().problemCount() > before) throw Value.AlreadyReported.INSTANCE;
        if (host == null || port == null) throw new InvalidValue("a port table needs host_port and sandbox_port");
        return new PortMapping(ip == null ? "0.0.0.0" : ip, host.intValue(), port.intValue(), protocol == null ? "tcp" : protocol);
    });

    /** An environment value: a string, or a number or boolean written without quotes. */
    static final ValueType<String> ENV_VALUE = new ValueType<>("a string, number or boolean", v -> switch (v.raw()) {
        case Long l -> l.toString();
        case Double d -> d.toString();
        case Boolean b -> b.toString();
        default -> ValueType.STRING.read(v);
    });

    /** {@code env_file}: one path or an array of paths. */
    static final ValueType<List<Path>> PATHS = new ValueType<>("a string (a host path) or an array of them", v ->
            v.raw() instanceof String ? List.of(HOST_PATH.read(v))
                    : TomlSection.arrayOf("an array of strings (host paths)", HOST_PATH).read(v));

    /** {@code [plugins.<id>]}: a table, kept as plain Java values for the plugin to interpret. */
    static final ValueType<Map<String, Object>> PLUGIN_TABLE = new ValueType<>("a table ([plugins.<id>])", v -> {
        if (v.raw() instanceof TomlTable t) return PluginTables.plain(t);
        throw Value.Mismatch.INSTANCE;
    });

    static final ValueType<MountSpec> MOUNT = new ValueType<>("a table ([[mount]])", v -> Mounts.read(v.table(), v));

    private static long parseSize(String text) {
        try {
            return Limits.parseSize("", text);
        } catch (SpecException e) {
            throw new InvalidValue(Texts.quote(text) + " is not a size: expected e.g. \"512m\", \"2g\" or a number of bytes");
        }
    }

    /**
     * A string checked by SandboxSpec's own rule for that field, so the profile accepts exactly
     * what the spec does; the spec's message names the problem.
     */
    private static ValueType<String> bySpec(ValueType<String> base, java.util.function.BiFunction<SandboxSpec.Builder, String, SandboxSpec.Builder> set) {
        return new ValueType<>(base.expected(), v -> {
            String value = base.read(v);
            set.apply(SandboxSpec.builder().command("true"), value).build();
            return value;
        });
    }

    /** An environment variable name, checked by SandboxSpec's rule. */
    static void checkVariableName(String name) {
        SandboxSpec.builder().command("true").env(name, "").build();
    }
}
