package dev.jbox.cli;

import dev.jbox.StartupTimeline;
import dev.jbox.JboxException;
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
import dev.jbox.state.Monitor;
import dev.jbox.state.ProcFs;
import dev.jbox.state.StateStore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code jbox run}: the options as given (unset ones stay null or empty), and what running them
 * does. The options are declared in {@link RunOptions}; {@link FastRunParser} or picocli
 * ({@link RunModel}) fill them in.
 */
final class RunCommand implements Callable<Integer> {
    Path profile;
    Path rootfs;
    String image;
    final List<String> storageOptions = new ArrayList<>();
    final List<String> volumes = new ArrayList<>();
    final List<String> tmpfs = new ArrayList<>();
    Boolean readOnly;
    String hostname;
    final List<String> env = new ArrayList<>();
    final List<Path> envFiles = new ArrayList<>();
    String workdir;
    String user;
    String userns;
    String network;
    final List<String> publish = new ArrayList<>();
    Boolean allowHostLoopback;
    Boolean allowHostAbstractSockets;
    String memory;
    String memorySwap;
    Double cpus;
    Long pidsLimit;
    Integer cpuWeight;
    Integer ioWeight;
    String cgroupManager;
    String seccomp;
    final List<String> capAdd = new ArrayList<>();
    final List<String> capDrop = new ArrayList<>();
    String stopTimeout;
    String name;
    Boolean tty;
    Boolean interactive;
    Boolean rm;
    boolean dryRun;
    boolean detach;
    /** The command and its arguments. */
    final List<String> command = new ArrayList<>();
    /** This jbox's whole command line: a detached sandbox's monitor parses it again. */
    final List<String> jboxArgs;

    RunCommand(List<String> jboxArgs) {
        this.jboxArgs = List.copyOf(jboxArgs);
    }

    @Override
    public Integer call() throws InterruptedException {
        Profile layers = layers();
        boolean terminal = Boolean.TRUE.equals(layers.run().tty());
        boolean keepStdin = Boolean.TRUE.equals(layers.run().interactive());
        SandboxSpec spec = spec(layers, terminal, keepStdin);
        StartupTimeline.mark("profile layers and spec");
        Sandbox sandbox = new Sandbox(dev.jbox.plugins.Plugins.fromEnvironment());
        if (dryRun) {
            System.out.print(SpecRenderer.render(spec, layers.plugins()));
            System.out.println();
            System.out.print(sandbox.plan(spec).render());
            return 0;
        }
        if (detach && terminal) {
            throw new JboxException("-t with -d: a detached sandbox has no terminal to give the command (jbox has no attach)",
                    "drop -t; the command's output goes to `jbox logs`");
        }
        if (detach) return DetachedRun.start(spec, jboxArgs);
        SignalForwarder signals = SignalForwarder.install();
        // Named: recorded while it runs (ps lists it, the name is taken), as podman does.
        Monitor named = spec.name() == null ? null : new Monitor(StateStore.open(), ProcFs.LIVE);
        String id = named == null ? null : Sandbox.newId();
        SandboxProcess process = named == null ? sandbox.launch(spec) : named.startAttached(id, spec, sandbox);
        int status;
        try {
            status = await(process, signals, terminal, keepStdin);
            StartupTimeline.mark("workload exited");
        } finally {
            if (named != null) named.forget(id);
        }
        process.exitNote().ifPresent(note -> System.err.println("jbox: " + note));
        if (Boolean.TRUE.equals(layers.run().remove()) && spec.name() != null) KeptLayers.removeAfterRun(sandbox.plugins().storageProviders(), spec.name());
        return status;
    }

    private static int await(SandboxProcess process, SignalForwarder signals, boolean terminal, boolean keepStdin) throws InterruptedException {
        if (!terminal) {
            signals.attach(process);
            return process.exitStatus().shellStatus();
        }
        try (TerminalSession session = TerminalSession.attach(process, keepStdin)) {
            signals.attach(process, session::resize);
            return process.exitStatus().shellStatus();
        }
    }

    /** The --profile file (if any) with the flags on top. */
    Profile layers() {
        return profile == null ? flags() : new ProfileLoader().load(profile).overriddenBy(flags());
    }

    /** The spec these arguments describe (what a detached sandbox's monitor launches). */
    SandboxSpec spec() {
        return spec(layers());
    }

    static SandboxSpec spec(Profile layers) {
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
        if (network != null || !publish.isEmpty() || allowHostLoopback != null || allowHostAbstractSockets != null) {
            f.network(new Profile.Network(network == null ? null : NetworkMode.parse(network),
                    publish.isEmpty() ? null : publish.stream().map(PortMapping::parse).toList(), allowHostLoopback, allowHostAbstractSockets));
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
