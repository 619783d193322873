package dev.jbox.profile;

import dev.jbox.spec.CgroupManager;
import dev.jbox.spec.Identity;
import dev.jbox.spec.Limits;
import dev.jbox.spec.MountSpec;
import dev.jbox.spec.NetworkMode;
import dev.jbox.spec.NetworkSpec;
import dev.jbox.spec.PortMapping;
import dev.jbox.spec.RootFs;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.spec.SecuritySpec;
import dev.jbox.spec.UserNamespaceMode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A partial sandbox description: what one profile file, a chain of {@code extends}, or the
 * command line's explicit flags say. A null component (or a null field of a component record)
 * means "not set here", so layers can be stacked with {@link #overriddenBy} and the result turned
 * into a spec with {@link #specBuilder()}; whatever no layer sets keeps SandboxSpec's default.
 *
 * <p>Precedence, lowest first: SandboxSpec's defaults, the profile at the end of the
 * {@code extends} chain, …, the profile named on the command line, the command line's flags.
 *
 * @param env     variables, merged by name across layers (never null)
 * @param mounts  in order; a later layer's mount with the same target replaces the earlier one in
 *                place, others are appended (never null)
 * @param storageOptions {@code [storage_opt]} / {@code --storage-opt}: options of an image root's storage
 *                (podman's names, {@code overlay.mount_program}), merged by name; ignored for other roots (never null)
 * @param plugins {@code [plugins.<id>]} tables, plain Java values (String, Long, Double, Boolean,
 *                java.time types, List, Map), merged key by key (never null)
 * @param origins where each key set by a profile came from, by dotted key ({@code limits.memory})
 */
public record Profile(
        List<String> command,
        RootFs rootfs,
        Boolean readOnly,
        String hostname,
        String workdir,
        User user,
        UserNamespaceMode userns,
        Map<String, String> env,
        List<MountSpec> mounts,
        Network network,
        Limits limits,
        CgroupManager cgroupManager,
        Security security,
        Duration stopTimeout,
        String name,
        RunOptions run,
        Map<String, String> storageOptions,
        Map<String, Map<String, Object>> plugins,
        Map<String, Origin> origins) {

    /** Nothing set: {@code EMPTY.specBuilder()} gives SandboxSpec's defaults. */
    public static final Profile EMPTY = builder().build();

    /** {@code user = "UID[:GID]"}: the ids inside the sandbox. */
    public record User(int uid, int gid) {}

    /** {@code [network]}; null fields are not set. */
    public record Network(NetworkMode mode, List<PortMapping> ports, Boolean allowHostLoopback, Boolean allowHostAbstractSockets) {
        static final Network UNSET = new Network(null, null, null, null);

        public Network {
            ports = ports == null ? null : List.copyOf(ports);
        }

        /**
         * Nothing set. Not {@code equals(UNSET)}: the first equals of any record costs a cold
         * {@code jbox run} ~10 ms (its ObjectMethods bootstrap is not in the AOT cache).
         */
        boolean isUnset() {
            return mode == null && ports == null && allowHostLoopback == null && allowHostAbstractSockets == null;
        }

        Network overriddenBy(Network top) {
            return new Network(or(top.mode, mode), or(top.ports, ports), or(top.allowHostLoopback, allowHostLoopback),
                    or(top.allowHostAbstractSockets, allowHostAbstractSockets));
        }
    }

    /** {@code [security]}; null fields are not set. */
    public record Security(SecuritySpec.Seccomp seccomp, Set<String> capAdd, Set<String> capDrop) {
        static final Security UNSET = new Security(null, null, null);

        public Security {
            capAdd = capAdd == null ? null : Set.copyOf(capAdd);
            capDrop = capDrop == null ? null : Set.copyOf(capDrop);
        }

        /** Nothing set (see {@link Network#isUnset}). */
        boolean isUnset() {
            return seccomp == null && capAdd == null && capDrop == null;
        }

        Security overriddenBy(Security top) {
            return new Security(or(top.seccomp, seccomp), or(top.capAdd, capAdd), or(top.capDrop, capDrop));
        }
    }

    /**
     * How the CLI runs the sandbox rather than what the sandbox is ({@code -t}, {@code -i},
     * {@code --rm}, {@code -d}): not part of SandboxSpec, applied by the CLI. Null is not set.
     */
    public record RunOptions(Boolean tty, Boolean interactive, Boolean remove, Boolean detach) {
        static final RunOptions UNSET = new RunOptions(null, null, null, null);

        RunOptions overriddenBy(RunOptions top) {
            return new RunOptions(or(top.tty, tty), or(top.interactive, interactive), or(top.remove, remove), or(top.detach, detach));
        }
    }

    public Profile {
        command = command == null ? null : List.copyOf(command);
        env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
        mounts = List.copyOf(mounts);
        storageOptions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(storageOptions));
        plugins = PluginTables.copyOf(plugins);
        origins = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(origins));
    }

    /**
     * This profile with {@code top} laid over it: scalars and arrays from {@code top} win where it
     * sets them; tables ({@code env}, {@code [limits]}, {@code [network]}, {@code [plugins.x]})
     * are merged key by key; mounts are merged by target (see {@link #mounts()}).
     */
    public Profile overriddenBy(Profile top) {
        Map<String, String> mergedEnv = new LinkedHashMap<>(env);
        mergedEnv.putAll(top.env);
        Map<String, String> mergedStorage = new LinkedHashMap<>(storageOptions);
        mergedStorage.putAll(top.storageOptions);
        Map<String, Origin> mergedOrigins = new LinkedHashMap<>(origins);
        mergedOrigins.putAll(top.origins);
        return new Profile(
                or(top.command, command),
                or(top.rootfs, rootfs),
                or(top.readOnly, readOnly),
                or(top.hostname, hostname),
                or(top.workdir, workdir),
                or(top.user, user),
                or(top.userns, userns),
                mergedEnv,
                mergeMounts(mounts, top.mounts),
                network.overriddenBy(top.network),
                mergeLimits(limits, top.limits),
                or(top.cgroupManager, cgroupManager),
                security.overriddenBy(top.security),
                or(top.stopTimeout, stopTimeout),
                or(top.name, name),
                run.overriddenBy(top.run),
                mergedStorage,
                PluginTables.merge(plugins, top.plugins),
                mergedOrigins);
    }

    /**
     * A fresh SandboxSpec builder holding everything this profile sets, and SandboxSpec's defaults
     * for the rest. Stack every layer (command-line flags included) with {@link #overriddenBy}
     * first: composite values such as limits are set whole here.
     */
    public SandboxSpec.Builder specBuilder() {
        SandboxSpec.Builder b = SandboxSpec.builder();
        if (command != null) b.command(command);
        if (rootfs != null) b.rootfs(withStorageOptions(rootfs));
        if (readOnly != null) b.readOnly(readOnly);
        if (hostname != null) b.hostname(hostname);
        if (workdir != null) b.workdir(workdir);
        if (user != null || userns != null) {
            User u = user == null ? new User(Identity.ROOT.uid(), Identity.ROOT.gid()) : user;
            b.identity(new Identity(or(userns, Identity.ROOT.userns()), u.uid(), u.gid()));
        }
        b.env(env);
        mounts.forEach(b::mount);
        if (!network.isUnset()) {
            NetworkSpec d = NetworkSpec.NONE;
            b.network(new NetworkSpec(or(network.mode, d.mode()), or(network.ports, d.ports()),
                    or(network.allowHostLoopback, d.allowHostLoopback()), or(network.allowHostAbstractSockets, d.allowHostAbstractSockets())));
        }
        b.limits(limits);
        if (cgroupManager != null) b.cgroupManager(cgroupManager);
        if (!security.isUnset()) {
            SecuritySpec d = SecuritySpec.DEFAULT;
            b.security(new SecuritySpec(or(security.seccomp, d.seccomp()), or(security.capAdd, d.capAdd()),
                    or(security.capDrop, d.capDrop())));
        }
        if (stopTimeout != null) b.stopTimeout(stopTimeout);
        if (name != null) b.name(name);
        return b;
    }

    /** An image root with this profile's storage options laid over its own; any other root as it is. */
    private RootFs withStorageOptions(RootFs root) {
        if (!(root instanceof RootFs.Image i) || storageOptions.isEmpty()) return root;
        Map<String, String> options = new LinkedHashMap<>(i.storageOptions());
        options.putAll(storageOptions);
        return new RootFs.Image(i.reference(), options);
    }

    private static List<MountSpec> mergeMounts(List<MountSpec> base, List<MountSpec> top) {
        List<MountSpec> out = new ArrayList<>(base);
        for (MountSpec m : top) {
            int same = indexOfTarget(out, m.target());
            if (same >= 0) out.set(same, m);
            else out.add(m);
        }
        return out;
    }

    private static int indexOfTarget(List<MountSpec> mounts, String target) {
        String wanted = normalTarget(target);
        for (int i = 0; i < mounts.size(); i++) if (normalTarget(mounts.get(i).target()).equals(wanted)) return i;
        return -1;
    }

    /** "/data/" and "/data" are one mount point. */
    static String normalTarget(String target) {
        String t = target.replaceAll("/+", "/");
        return t.length() > 1 && t.endsWith("/") ? t.substring(0, t.length() - 1) : t;
    }

    private static Limits mergeLimits(Limits base, Limits top) {
        return new Limits(or(top.memoryBytes(), base.memoryBytes()), or(top.memorySwapBytes(), base.memorySwapBytes()),
                or(top.cpus(), base.cpus()), or(top.pidsLimit(), base.pidsLimit()),
                or(top.cpuWeight(), base.cpuWeight()), or(top.ioWeight(), base.ioWeight()));
    }

    private static <T> T or(T preferred, T fallback) {
        return preferred != null ? preferred : fallback;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds one layer: used by the TOML reader, and by the CLI for its explicit flags. */
    public static final class Builder {
        private List<String> command;
        private RootFs rootfs;
        private Boolean readOnly;
        private String hostname;
        private String workdir;
        private User user;
        private UserNamespaceMode userns;
        private final Map<String, String> env = new LinkedHashMap<>();
        private final List<MountSpec> mounts = new ArrayList<>();
        private Network network = Network.UNSET;
        private Limits limits = Limits.NONE;
        private CgroupManager cgroupManager;
        private Security security = Security.UNSET;
        private Duration stopTimeout;
        private String name;
        private RunOptions run = RunOptions.UNSET;
        private final Map<String, String> storageOptions = new LinkedHashMap<>();
        private final Map<String, Map<String, Object>> plugins = new LinkedHashMap<>();
        private final Map<String, Origin> origins = new LinkedHashMap<>();

        private Builder() {}

        public Builder command(List<String> argv) { command = argv; return this; }
        public Builder rootfs(RootFs r) { rootfs = r; return this; }
        public Builder readOnly(Boolean ro) { readOnly = ro; return this; }
        public Builder hostname(String h) { hostname = h; return this; }
        public Builder workdir(String dir) { workdir = dir; return this; }
        public Builder user(User u) { user = u; return this; }
        public Builder userns(UserNamespaceMode mode) { userns = mode; return this; }
        public Builder env(String variable, String value) { env.put(variable, value); return this; }
        public Builder env(Map<String, String> vars) { env.putAll(vars); return this; }
        /** Appends; a mount for a target an earlier layer mounts replaces that one when layers merge. */
        public Builder mount(MountSpec m) { mounts.add(m); return this; }
        public Builder network(Network n) { network = n; return this; }
        public Builder limits(Limits l) { limits = l; return this; }
        public Builder cgroupManager(CgroupManager m) { cgroupManager = m; return this; }
        public Builder security(Security s) { security = s; return this; }
        public Builder stopTimeout(Duration d) { stopTimeout = d; return this; }
        public Builder name(String n) { name = n; return this; }
        public Builder run(RunOptions r) { run = r; return this; }
        public Builder storageOption(String name, String value) { storageOptions.put(name, value); return this; }
        public Builder plugin(String id, Map<String, Object> table) { plugins.put(id, table); return this; }
        public Builder origin(String key, Origin origin) { origins.put(key, origin); return this; }

        public Profile build() {
            return new Profile(command, rootfs, readOnly, hostname, workdir, user, userns, env, mounts, network, limits,
                    cgroupManager, security, stopTimeout, name, run, storageOptions, plugins, origins);
        }
    }
}
