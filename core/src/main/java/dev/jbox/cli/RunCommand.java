package dev.jbox.cli;

import dev.jbox.Sandbox;
import dev.jbox.launch.SandboxProcess;
import dev.jbox.spec.CgroupManager;
import dev.jbox.spec.Identity;
import dev.jbox.spec.Limits;
import dev.jbox.spec.MountSpec;
import dev.jbox.spec.NetworkMode;
import dev.jbox.spec.PortMapping;
import dev.jbox.profile.Durations;
import dev.jbox.profile.EnvFile;
import dev.jbox.profile.Profile;
import dev.jbox.profile.ProfileLoader;
import dev.jbox.profile.SpecRenderer;
import dev.jbox.spec.RootFs;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.spec.SecuritySpec;
import dev.jbox.spec.SpecException;
import dev.jbox.spec.UserNamespaceMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "run", mixinStandardHelpOptions = true, description = "Run a command in a new rootless sandbox.",
        footer = {"", "Examples:",
                "  jbox run -- id                                   host / read-only, you are root inside",
                "  jbox run --rootfs ./rootfs --hostname box -- sh -c 'hostname; ls /'",
                "  jbox run -v $PWD:/src:ro -w /src --tmpfs /out -- make",
                "  jbox run -it --rootfs ./rootfs -- sh                  an interactive shell",
                "  jbox run --dry-run --rootfs ./rootfs -- /bin/true     print the launch plan only",
                "  jbox run --profile examples/profiles/build.toml -- make   a reviewed, shareable sandbox",
                "  jbox run -d --name web --rootfs ./rootfs -- httpd -f   in the background; see jbox ps",
                "", "Exit status: the command's own; 128+N if killed by signal N; 125 jbox failed;",
                "126 the command cannot be executed; 127 the command was not found."})
final class RunCommand implements Callable<Integer> {
    @Option(names = "--profile", paramLabel = "FILE", description = "Start from a TOML profile; flags given here override it.")
    Path profile;

    @Option(names = "--rootfs", paramLabel = "DIR", description = "Directory to use as the root filesystem (default: the host's / read-only).")
    Path rootfs;

    @Option(names = "--image", paramLabel = "NAME[:TAG]", description = "Image to use as the root filesystem (storage-overlay plugin).")
    String image;

    @Option(names = "--storage-opt", paramLabel = "NAME=VALUE", description = "Image storage option, as podman's: overlay.mount_program=fuse-overlayfs mounts the image with fuse-overlayfs instead of the kernel's overlayfs.")
    List<String> storageOptions = new ArrayList<>();

    @Option(names = {"-v", "--volume"}, paramLabel = "SRC:DST[:ro]", description = "Bind a host path into the sandbox (nosuid, nodev).")
    List<String> volumes = new ArrayList<>();

    @Option(names = "--tmpfs", paramLabel = "DST[:OPTIONS]", description = "Mount a fresh tmpfs at DST.")
    List<String> tmpfs = new ArrayList<>();

    @Option(names = "--read-only", description = "Make the root filesystem read-only (always so for the host's /).")
    Boolean readOnly;

    @Option(names = "--hostname", paramLabel = "NAME", description = "Hostname inside (default: the --name, else jbox).")
    String hostname;

    @Option(names = {"-e", "--env"}, paramLabel = "NAME[=VALUE]", description = "Set a variable; without a value, take the host's.")
    List<String> env = new ArrayList<>();

    @Option(names = "--env-file", paramLabel = "FILE", description = "Read NAME=VALUE lines from FILE (# comments; a bare NAME takes the host's).")
    List<Path> envFiles = new ArrayList<>();

    @Option(names = {"-w", "--workdir"}, paramLabel = "DIR", description = "Working directory inside.")
    String workdir;

    @Option(names = {"-u", "--user"}, paramLabel = "UID[:GID]", description = "Run as this user inside (default 0:0).")
    String user;

    @Option(names = "--userns", paramLabel = "MODE", description = "'' (default: your uid maps to the sandbox user) or auto (subordinate ids from /etc/subuid).")
    String userns;

    @Option(names = "--network", paramLabel = "MODE", description = "none (loopback only, default), host, slirp, pasta, auto.")
    String network;

    @Option(names = {"-p", "--publish"}, paramLabel = "[IP:]HOSTPORT:PORT[/PROTO]", description = "Publish a port (needs --network slirp|pasta|auto).")
    List<String> publish = new ArrayList<>();

    @Option(names = "--allow-host-loopback", description = "Let the sandbox reach the host's 127.0.0.1 (slirp/pasta).")
    Boolean allowHostLoopback;

    @Option(names = "--memory", paramLabel = "SIZE", description = "Memory limit, e.g. 512m, 2G.")
    String memory;

    @Option(names = "--memory-swap", paramLabel = "SIZE", description = "Swap limit (-1: unlimited).")
    String memorySwap;

    @Option(names = "--cpus", paramLabel = "N", description = "CPU limit, fractional (0.5 = half a CPU).")
    Double cpus;

    @Option(names = "--pids-limit", paramLabel = "N", description = "Maximum number of processes.")
    Long pidsLimit;

    @Option(names = "--cpu-weight", paramLabel = "N", description = "CPU weight, 1-10000.")
    Integer cpuWeight;

    @Option(names = "--io-weight", paramLabel = "N", description = "IO weight, 1-10000.")
    Integer ioWeight;

    @Option(names = "--cgroup-manager", paramLabel = "MODE", description = "auto (default), systemd, cgroupfs, disabled.")
    String cgroupManager;

    @Option(names = "--seccomp", paramLabel = "default|unconfined|FILE", description = "Seccomp filter (default: jbox's default).")
    String seccomp;

    @Option(names = "--cap-add", paramLabel = "CAP", description = "Add a capability (CAP_X, X or ALL).")
    List<String> capAdd = new ArrayList<>();

    @Option(names = "--cap-drop", paramLabel = "CAP", description = "Drop a capability (CAP_X, X or ALL).")
    List<String> capDrop = new ArrayList<>();

    @Option(names = "--stop-timeout", paramLabel = "DURATION", description = "Grace period before SIGKILL after a stop signal: seconds or 10s, 1m (default 10s).")
    String stopTimeout;

    @Option(names = "--name", paramLabel = "NAME", description = "Name of the sandbox.")
    String name;

    @Option(names = {"-t", "--tty"}, description = "Give the command a terminal (raw mode, resized with yours).")
    Boolean tty;

    @Option(names = {"-i", "--interactive"}, description = "Keep stdin open (with -t: relay your keystrokes).")
    Boolean interactive;

    @Option(names = "--rm", description = "Remove what is kept for the sandbox after it exits (a named image sandbox's writable layer; unnamed ones keep nothing).")
    Boolean rm;

    @Option(names = "--dry-run", description = "Print the resolved spec and the launch plan; nothing is started.")
    boolean dryRun;

    @Option(names = {"-d", "--detach"}, description = "Run in the background: print the sandbox's id and leave it running (see jbox ps, logs, stop, rm).")
    boolean detach;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec cli;

    @Parameters(paramLabel = "COMMAND", description = "The command and its arguments (put them after --).")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        Profile layers = layers();
        boolean terminal = Boolean.TRUE.equals(layers.run().tty());
        boolean keepStdin = Boolean.TRUE.equals(layers.run().interactive());
        SandboxSpec spec = spec(layers, terminal, keepStdin);
        Sandbox sandbox = new Sandbox(dev.jbox.plugins.Plugins.fromEnvironment());
        if (dryRun) {
            System.out.print(SpecRenderer.render(spec, layers.plugins()));
            System.out.println();
            System.out.print(sandbox.plan(spec).render());
            return 0;
        }
        if (detach) return DetachedRun.start(spec, cli.root().commandLine().getParseResult().originalArgs());
        SignalForwarder signals = SignalForwarder.install();
        SandboxProcess process = sandbox.launch(spec);
        int status;
        if (!terminal) {
            signals.attach(process);
            status = process.exitStatus().shellStatus();
        } else {
            try (TerminalSession session = TerminalSession.attach(process, keepStdin)) {
                signals.attach(process, session::resize);
                status = process.exitStatus().shellStatus();
            }
        }
        process.exitNote().ifPresent(note -> System.err.println("jbox: " + note));
        if (Boolean.TRUE.equals(layers.run().remove()) && spec.name() != null) removeKept(sandbox, spec.name());
        return status;
    }

    private static void removeKept(Sandbox sandbox, String name) {
        for (var storage : sandbox.plugins().storageProviders()) {
            try {
                storage.remove(name);
            } catch (Exception e) {
                System.err.println("jbox: removing the writable layer of " + name + ": " + e.getMessage());
            }
        }
    }

    /** The --profile file (if any) with the flags on top. */
    Profile layers() {
        return profile == null ? flags() : new ProfileLoader().load(profile).overriddenBy(flags());
    }

    /** The spec these arguments describe (what a detached sandbox's monitor launches). */
    SandboxSpec spec() {
        Profile layers = layers();
        return spec(layers, Boolean.TRUE.equals(layers.run().tty()), Boolean.TRUE.equals(layers.run().interactive()));
    }

    /** The profile layers as a spec, plus what only the CLI decides: stdio, terminal, parent death. */
    static SandboxSpec spec(Profile layers, boolean terminal, boolean keepStdin) {
        SandboxSpec.Builder b = layers.specBuilder().dieWithParent(true).tty(terminal);
        if (terminal) {
            b.stdout(ProcessBuilder.Redirect.PIPE).stderr(ProcessBuilder.Redirect.PIPE);
            if (!keepStdin) b.stdin(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            String term = System.getenv("TERM");
            if (term != null && !term.isEmpty() && !layers.env().containsKey("TERM")) b.env("TERM", term);
        }
        return b.build();
    }

    /** The flags the user gave, as the top profile layer: what was not given stays unset. */
    Profile flags() {
        Profile.Builder f = Profile.builder();
        if (!command.isEmpty()) f.command(command);
        if (rootfs != null && image != null) throw new SpecException("--rootfs and --image exclude each other: pick one root filesystem");
        if (rootfs != null) f.rootfs(new RootFs.Directory(rootfs.toAbsolutePath()));
        if (image != null) f.rootfs(new RootFs.Image(image));
        for (String option : storageOptions) {
            int eq = option.indexOf('=');
            if (eq <= 0) throw new SpecException("--storage-opt " + option + ": expected NAME=VALUE, e.g. overlay.mount_program=fuse-overlayfs");
            f.storageOption(option.substring(0, eq), option.substring(eq + 1));
        }
        for (String v : volumes) f.mount(volume(v));
        for (String t : tmpfs) {
            int colon = t.indexOf(':');
            f.mount(new MountSpec.Tmpfs(colon < 0 ? t : t.substring(0, colon), colon < 0 ? "" : t.substring(colon + 1)));
        }
        f.readOnly(readOnly).hostname(hostname).workdir(workdir).name(name);
        for (Path file : envFiles) f.env(EnvFile.read(file, System.getenv()));
        for (String e : env) putVariable(f, e);
        if (userns != null) f.userns(switch (userns) {
            case "", "host", "single" -> UserNamespaceMode.SINGLE;
            case "auto" -> UserNamespaceMode.AUTO;
            default -> throw new SpecException("--userns " + userns + ": expected auto (or nothing)");
        });
        if (user != null) {
            Identity id = Identity.parseUser(UserNamespaceMode.SINGLE, user);
            f.user(new Profile.User(id.uid(), id.gid()));
        }
        if (network != null || !publish.isEmpty() || allowHostLoopback != null) {
            f.network(new Profile.Network(network == null ? null : NetworkMode.parse(network),
                    publish.isEmpty() ? null : publish.stream().map(PortMapping::parse).toList(), allowHostLoopback));
        }
        f.limits(new Limits(memory == null ? null : Limits.parseSize("--memory", memory),
                memorySwap == null ? null : memorySwap.equals("-1") ? -1L : Limits.parseSize("--memory-swap", memorySwap),
                cpus, pidsLimit, cpuWeight, ioWeight));
        if (cgroupManager != null) f.cgroupManager(CgroupManager.parse(cgroupManager));
        if (seccomp != null || !capAdd.isEmpty() || !capDrop.isEmpty()) {
            f.security(new Profile.Security(seccomp == null ? null : SecuritySpec.Seccomp.parse(seccomp),
                    capAdd.isEmpty() ? null : new LinkedHashSet<>(capAdd), capDrop.isEmpty() ? null : new LinkedHashSet<>(capDrop)));
        }
        if (stopTimeout != null) f.stopTimeout(stopTimeout.matches("\\d+") ? Duration.ofSeconds(Long.parseLong(stopTimeout)) : Durations.parse(stopTimeout));
        f.run(new Profile.RunOptions(tty, interactive, rm, null));
        return f.build();
    }

    /** {@code SRC:DST[:ro|rw]}; SRC relative to the current directory, and it must exist. */
    static MountSpec.Bind volume(String spec) {
        String[] parts = spec.split(":", -1);
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new SpecException("-v " + spec + ": expected SRC:DST[:ro]");
        }
        boolean ro = false;
        if (parts.length == 3) {
            switch (parts[2]) {
                case "ro" -> ro = true;
                case "rw", "" -> ro = false;
                default -> throw new SpecException("-v " + spec + ": unknown option " + parts[2] + " (expected ro or rw)");
            }
        }
        return new MountSpec.Bind(Path.of(parts[0]).toAbsolutePath().normalize(), parts[1], ro);
    }

    private static void putVariable(Profile.Builder f, String assignment) {
        int eq = assignment.indexOf('=');
        if (eq < 0) {
            String value = System.getenv(assignment);
            if (value != null) f.env(assignment, value);
        } else {
            f.env(assignment.substring(0, eq), assignment.substring(eq + 1));
        }
    }
}
