package dev.jbox.profile;

import dev.jbox.spec.Limits;
import dev.jbox.spec.MountSpec;
import dev.jbox.spec.RootFs;
import dev.jbox.spec.SpecException;
import org.tomlj.TomlTable;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.jbox.profile.ProfileTypes.*;
import static dev.jbox.profile.ValueType.BOOLEAN;

/**
 * One parsed profile file → one {@link Profile} layer. Reads every key jbox knows (this class is
 * the schema: docs/profiles.md lists the same keys), records each wrong value as a problem in the
 * {@link ProfileSource} and goes on, then reports the keys it did not read as unknown.
 */
final class ProfileReader {
    /** What a file says, and the raw {@code extends} value (expanded, not yet resolved), if any. */
    record Layer(Profile profile, String extendsPath, Origin extendsOrigin) {}

    private final ProfileSource source;
    private final Map<String, String> environment;
    private final Profile.Builder out = Profile.builder();

    private ProfileReader(ProfileSource source, Map<String, String> environment) {
        this.source = source;
        this.environment = environment;
    }

    /** @param environment jbox's own environment, for bare names in env files */
    static Layer read(TomlTable root, ProfileSource source, Map<String, String> environment) {
        return new ProfileReader(source, environment).read(root);
    }

    private Layer read(TomlTable root) {
        TomlSection top = new TomlSection(root, "", Origin.of(source.file()), source);
        Value parent = top.value("extends");
        String extendsPath = parent == null ? null : TomlSection.convert(parent, EXTENDS);
        out.command(top.get("command", COMMAND));
        readRoot(top);
        out.readOnly(top.get("read_only", BOOLEAN));
        out.hostname(top.get("hostname", HOSTNAME));
        out.workdir(top.get("workdir", SANDBOX_PATH));
        out.user(top.get("user", USER));
        out.userns(top.get("userns", USERNS));
        readEnv(top);
        readMounts(top);
        readNetwork(top.section("network"));
        readLimits(top.section("limits"));
        readSecurity(top.section("security"));
        out.stopTimeout(top.get("stop_timeout", DURATION));
        out.name(top.get("name", NAME));
        out.run(new Profile.RunOptions(top.get("tty", BOOLEAN), top.get("interactive", BOOLEAN),
                top.get("rm", BOOLEAN), top.get("detach", BOOLEAN)));
        readStorageOptions(top);
        for (Value plugin : top.section("plugins").entries()) {
            var table = TomlSection.convert(plugin, PLUGIN_TABLE);
            if (table != null) out.plugin(plugin.key().substring("plugins.".length()), table);
        }
        source.reportUnknownKeys();
        source.presentKeys().forEach(out::origin);
        return new Layer(out.build(), extendsPath, parent == null ? null : parent.origin());
    }

    /** {@code extends}: expanded here, resolved by the loader against the file's own directory. */
    private static final ValueType<String> EXTENDS = new ValueType<>("a string (the path of another profile)",
            v -> v.source().expander().expand(ValueType.STRING.read(v)));

    /** {@code rootfs} and {@code image} are two ways to say one thing: at most one per file. */
    private void readRoot(TomlSection top) {
        Path dir = top.get("rootfs", HOST_PATH);
        String image = top.get("image", IMAGE);
        if (dir != null && image != null) {
            top.value("image").problem("`rootfs` is given too, at " + top.origin("rootfs")
                    + ": a sandbox has one root filesystem, keep one of them");
        } else if (dir != null) {
            out.rootfs(new RootFs.Directory(dir));
        } else if (image != null) {
            out.rootfs(new RootFs.Image(image));
        }
    }

    /** {@code [storage_opt]}: podman's option names; a dotted key ({@code overlay.mount_program = …}) is one name. */
    private void readStorageOptions(TomlSection top) {
        Map<String, String> options = top.get("storage_opt", STORAGE_OPTIONS);
        if (options != null) options.forEach(out::storageOption);
    }

    private static final ValueType<Map<String, String>> STORAGE_OPTIONS = new ValueType<>(
            "a table of strings ([storage_opt] overlay.mount_program = \"fuse-overlayfs\")", v -> {
        if (!(v.raw() instanceof TomlTable t)) throw Value.Mismatch.INSTANCE;
        Map<String, String> out = new java.util.LinkedHashMap<>();
        flatten(t, "", out);
        return out;
    });

    private static void flatten(TomlTable table, String prefix, Map<String, String> out) {
        for (String key : table.keySet()) {
            Object value = table.get(List.of(key));
            if (value instanceof TomlTable nested) flatten(nested, prefix + key + ".", out);
            else if (value instanceof String s) out.put(prefix + key, s);
            else throw new InvalidValue("option " + prefix + key + ": expected a string");
        }
    }

    private static final ValueType<String> IMAGE = new ValueType<>("a string (an image reference like \"alpine:3.20\")", v -> {
        String ref = ValueType.STRING.read(v);
        if (ref.isBlank()) throw new InvalidValue("the image reference is empty");
        return ref;
    });

    /** {@code env_file} first, then {@code env}: a variable written in the profile wins over one from a file. */
    private void readEnv(TomlSection top) {
        List<Path> files = top.get("env_file", PATHS);
        for (Path file : files == null ? List.<Path>of() : files) {
            try {
                out.env(EnvFile.read(file, environment));
            } catch (InvalidValue e) {
                top.value("env_file").problem(e.getMessage());
            }
        }
        for (Value variable : top.section("env").entries()) {
            String name = variable.key().substring("env.".length());
            String value = TomlSection.convert(variable, ENV_VALUE);
            try {
                checkVariableName(name);
                if (value != null) out.env(name, value);
            } catch (SpecException e) {
                variable.problem(e.getMessage());
            }
        }
    }

    /** {@code [[mount]]} in order; two mounts on one target in one file is a mistake, not an override. */
    private void readMounts(TomlSection top) {
        Value mounts = top.value("mount");
        List<Value> entries = mounts == null ? null
                : TomlSection.convert(mounts, new ValueType<>("an array of tables ([[mount]])", Value::elements));
        if (entries == null) return;
        Map<String, Value> byTarget = new HashMap<>();
        for (Value entry : entries) {
            MountSpec m = TomlSection.convert(entry, MOUNT);
            if (m == null) continue;
            Value earlier = byTarget.putIfAbsent(Profile.normalTarget(m.target()), entry);
            if (earlier != null) {
                entry.problem(m.target() + " is already the target of `" + earlier.key() + "` at " + earlier.origin()
                        + " (one mount per target in a file)");
            } else {
                out.mount(m);
            }
        }
    }

    private void readNetwork(TomlSection network) {
        out.network(new Profile.Network(network.get("mode", NETWORK_MODE),
                network.get("ports", TomlSection.arrayOf("an array of port mappings like [\"8080:80\"]", PORT)),
                network.get("allow_host_loopback", BOOLEAN), network.get("allow_host_abstract_sockets", BOOLEAN)));
    }

    private void readLimits(TomlSection limits) {
        Long weight = limits.get("cpu_weight", WEIGHT);
        Long ioWeight = limits.get("io_weight", WEIGHT);
        out.limits(new Limits(limits.get("memory", SIZE), limits.get("memory_swap", SWAP), limits.get("cpus", CPUS),
                limits.get("pids", PIDS), weight == null ? null : weight.intValue(), ioWeight == null ? null : ioWeight.intValue()));
        out.cgroupManager(limits.get("cgroup_manager", CGROUP_MANAGER));
    }

    private void readSecurity(TomlSection security) {
        var capAdd = security.get("cap_add", TomlSection.arrayOf("an array of capability names like [\"CAP_NET_RAW\"]", CAPABILITY_NAME));
        var capDrop = security.get("cap_drop", TomlSection.arrayOf("an array of capability names like [\"ALL\"]", CAPABILITY_NAME));
        out.security(new Profile.Security(security.get("seccomp", SECCOMP),
                capAdd == null ? null : Set.copyOf(capAdd), capDrop == null ? null : Set.copyOf(capDrop)));
    }
}
