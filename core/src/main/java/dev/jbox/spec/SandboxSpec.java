package dev.jbox.spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Everything that describes one sandbox, validated on construction. Built by the CLI, by a TOML
 * profile, or by a library user through {@link #builder()}.
 *
 * @param command     argv of the workload; empty only for an image that has a default command
 * @param env         variables set by the user; documented defaults (PATH, HOME, container=jbox, …)
 *                    are added by the plan for names not given here
 * @param workdir     absolute path inside, or null for the default (the invoking directory on the
 *                    host root, {@code /} otherwise)
 * @param hostname    null for the default ({@code jbox})
 * @param stdin       redirects as in {@link ProcessBuilder}: INHERIT, PIPE, DISCARD, from/to a file
 * @param tty         a pseudo-terminal for the workload: its stdout and stderr are the terminal, its
 *                    stdin too unless {@code stdin} is DISCARD; the caller reaches it through the
 *                    process's streams
 * @param dieWithParent the workload is killed when the thread that started it ends (the CLI's main
 *                    thread); off for library use, where starting threads come and go
 */
public record SandboxSpec(
        List<String> command,
        RootFs rootfs,
        List<MountSpec> mounts,
        Map<String, String> env,
        String workdir,
        Identity identity,
        String hostname,
        NetworkSpec network,
        boolean readOnly,
        ProcessBuilder.Redirect stdin,
        ProcessBuilder.Redirect stdout,
        ProcessBuilder.Redirect stderr,
        boolean tty,
        Duration stopTimeout,
        Limits limits,
        CgroupManager cgroupManager,
        SecuritySpec security,
        boolean dieWithParent,
        String name) {

    private static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

    public SandboxSpec {
        command = List.copyOf(command);
        mounts = List.copyOf(mounts);
        env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
        if (command.isEmpty() && !(rootfs instanceof RootFs.Image)) {
            throw new SpecException("no command given: put it after --, e.g. jbox run -- /bin/sh");
        }
        for (String arg : command) noNul("command argument", arg);
        if (!command.isEmpty() && command.getFirst().isEmpty()) throw new SpecException("the command is an empty string");
        if (workdir != null) absolutePath("--workdir", workdir);
        if (hostname != null && (hostname.length() > 64 || !HOSTNAME.matcher(hostname).matches())) {
            throw new SpecException("--hostname " + hostname + ": expected letters, digits, '-' and '.', at most 64 characters");
        }
        for (var e : env.entrySet()) {
            if (!ENV_NAME.matcher(e.getKey()).matches()) {
                throw new SpecException("--env " + e.getKey() + ": a variable name is letters, digits and '_', not starting with a digit");
            }
            noNul("--env " + e.getKey(), e.getValue());
        }
        for (MountSpec m : mounts) {
            absolutePath("mount target", m.target());
            if (m instanceof MountSpec.Bind b) noNul("mount source", b.source().toString());
        }
        if (rootfs instanceof RootFs.Directory d) noNul("--rootfs", d.path().toString());
        if (!limits.isEmpty() && cgroupManager == CgroupManager.DISABLED) {
            throw new SpecException("limits were requested with --cgroup-manager=disabled: drop the limits or choose a cgroup manager");
        }
        if (stopTimeout.isNegative()) throw new SpecException("--stop-timeout must not be negative");
        if (name != null && !NAME.matcher(name).matches()) {
            throw new SpecException("--name " + name + ": expected letters, digits, '_', '.', '-' (at most 63, starting with a letter or digit)");
        }
    }

    private static void noNul(String what, String value) {
        if (value.indexOf('\0') >= 0) throw new SpecException(what + " contains a NUL byte");
    }

    private static void absolutePath(String what, String path) {
        noNul(what, path);
        if (!path.startsWith("/")) throw new SpecException(what + " " + path + ": must be an absolute path inside the sandbox");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this spec. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.command = new ArrayList<>(command);
        b.rootfs = rootfs;
        b.mounts = new ArrayList<>(mounts);
        b.env = new LinkedHashMap<>(env);
        b.workdir = workdir;
        b.identity = identity;
        b.hostname = hostname;
        b.network = network;
        b.readOnly = readOnly;
        b.stdin = stdin;
        b.stdout = stdout;
        b.stderr = stderr;
        b.tty = tty;
        b.stopTimeout = stopTimeout;
        b.limits = limits;
        b.cgroupManager = cgroupManager;
        b.security = security;
        b.dieWithParent = dieWithParent;
        b.name = name;
        return b;
    }

    /** Fluent construction with jbox's defaults: host root read-only, root inside, loopback only. */
    public static final class Builder {
        private List<String> command = new ArrayList<>();
        private RootFs rootfs = RootFs.HOST;
        private List<MountSpec> mounts = new ArrayList<>();
        private Map<String, String> env = new LinkedHashMap<>();
        private String workdir;
        private Identity identity = Identity.ROOT;
        private String hostname;
        private NetworkSpec network = NetworkSpec.NONE;
        private boolean readOnly;
        private ProcessBuilder.Redirect stdin = ProcessBuilder.Redirect.INHERIT;
        private ProcessBuilder.Redirect stdout = ProcessBuilder.Redirect.INHERIT;
        private ProcessBuilder.Redirect stderr = ProcessBuilder.Redirect.INHERIT;
        private boolean tty;
        private Duration stopTimeout = Duration.ofSeconds(10);
        private Limits limits = Limits.NONE;
        private CgroupManager cgroupManager = CgroupManager.AUTO;
        private SecuritySpec security = SecuritySpec.DEFAULT;
        private boolean dieWithParent;
        private String name;

        private Builder() {}

        public Builder command(String... argv) { return command(List.of(argv)); }
        public Builder command(List<String> argv) { command = new ArrayList<>(argv); return this; }
        public Builder rootfs(RootFs r) { rootfs = r; return this; }
        public Builder rootfs(Path dir) { return rootfs(new RootFs.Directory(dir)); }
        public Builder image(String reference) { return rootfs(new RootFs.Image(reference)); }
        public Builder mount(MountSpec m) { mounts.add(m); return this; }
        public Builder bind(Path source, String target, boolean readOnly) { return mount(new MountSpec.Bind(source, target, readOnly)); }
        public Builder tmpfs(String target) { return mount(new MountSpec.Tmpfs(target, "")); }
        public Builder env(String name, String value) { env.put(name, value); return this; }
        public Builder env(Map<String, String> vars) { env.putAll(vars); return this; }
        public Builder workdir(String dir) { workdir = dir; return this; }
        public Builder identity(Identity id) { identity = id; return this; }
        public Builder hostname(String h) { hostname = h; return this; }
        public Builder network(NetworkSpec n) { network = n; return this; }
        public Builder network(NetworkMode mode) { return network(new NetworkSpec(mode, network.ports(), network.allowHostLoopback(), network.allowHostAbstractSockets())); }
        public Builder readOnly(boolean ro) { readOnly = ro; return this; }
        public Builder stdin(ProcessBuilder.Redirect r) { stdin = r; return this; }
        public Builder stdout(ProcessBuilder.Redirect r) { stdout = r; return this; }
        public Builder stderr(ProcessBuilder.Redirect r) { stderr = r; return this; }
        public Builder tty(boolean t) { tty = t; return this; }
        public Builder stopTimeout(Duration d) { stopTimeout = d; return this; }
        public Builder limits(Limits l) { limits = l; return this; }
        public Builder cgroupManager(CgroupManager m) { cgroupManager = m; return this; }
        public Builder security(SecuritySpec s) { security = s; return this; }
        public Builder dieWithParent(boolean b) { dieWithParent = b; return this; }
        public Builder name(String n) { name = n; return this; }

        public SandboxSpec build() {
            return new SandboxSpec(command, rootfs, mounts, env, workdir, identity, hostname, network, readOnly,
                    stdin, stdout, stderr, tty, stopTimeout, limits, cgroupManager, security, dieWithParent, name);
        }
    }
}
