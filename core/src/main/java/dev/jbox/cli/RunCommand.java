package dev.jbox.cli;

import dev.jbox.JboxException;
import dev.jbox.Sandbox;
import dev.jbox.launch.SandboxProcess;
import dev.jbox.spec.CgroupManager;
import dev.jbox.spec.Identity;
import dev.jbox.spec.Limits;
import dev.jbox.spec.MountSpec;
import dev.jbox.spec.NetworkMode;
import dev.jbox.spec.NetworkSpec;
import dev.jbox.spec.PortMapping;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.spec.SecuritySpec;
import dev.jbox.spec.SpecException;
import dev.jbox.spec.UserNamespaceMode;
import dev.jbox.spi.ExitStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "run", mixinStandardHelpOptions = true, description = "Run a command in a new rootless sandbox.",
        footer = {"", "Examples:",
                "  jbox run -- id                                   host / read-only, you are root inside",
                "  jbox run --rootfs ./rootfs --hostname box -- sh -c 'hostname; ls /'",
                "  jbox run -v $PWD:/src:ro -w /src --tmpfs /out -- make",
                "  jbox run --dry-run --rootfs ./rootfs -- /bin/true     print the launch plan only",
                "", "Exit status: the command's own; 128+N if killed by signal N; 125 jbox failed;",
                "126 the command cannot be executed; 127 the command was not found."})
final class RunCommand implements Callable<Integer> {
    @Option(names = "--rootfs", paramLabel = "DIR", description = "Directory to use as the root filesystem (default: the host's / read-only).")
    Path rootfs;

    @Option(names = "--image", paramLabel = "NAME[:TAG]", description = "Image to use as the root filesystem (storage-overlay plugin).")
    String image;

    @Option(names = {"-v", "--volume"}, paramLabel = "SRC:DST[:ro]", description = "Bind a host path into the sandbox (nosuid, nodev).")
    List<String> volumes = new ArrayList<>();

    @Option(names = "--tmpfs", paramLabel = "DST[:OPTIONS]", description = "Mount a fresh tmpfs at DST.")
    List<String> tmpfs = new ArrayList<>();

    @Option(names = "--read-only", description = "Make the root filesystem read-only (always so for the host's /).")
    boolean readOnly;

    @Option(names = {"--hostname"}, paramLabel = "NAME", description = "Hostname inside (default: the --name, else jbox).")
    String hostname;

    @Option(names = {"-e", "--env"}, paramLabel = "NAME[=VALUE]", description = "Set a variable; without a value, take the host's.")
    List<String> env = new ArrayList<>();

    @Option(names = "--env-file", paramLabel = "FILE", description = "Read NAME=VALUE lines from FILE (# comments).")
    List<Path> envFiles = new ArrayList<>();

    @Option(names = {"-w", "--workdir"}, paramLabel = "DIR", description = "Working directory inside.")
    String workdir;

    @Option(names = {"-u", "--user"}, paramLabel = "UID[:GID]", description = "Run as this user inside (default 0:0).")
    String user;

    @Option(names = "--userns", paramLabel = "MODE", description = "'' (default: your uid maps to the sandbox user) or auto (subordinate ids from /etc/subuid).")
    String userns = "";

    @Option(names = "--network", paramLabel = "MODE", description = "none (loopback only, default), host, slirp, pasta, auto.", defaultValue = "none")
    String network;

    @Option(names = {"-p", "--publish"}, paramLabel = "[IP:]HOSTPORT:PORT[/PROTO]", description = "Publish a port (needs --network slirp|pasta|auto).")
    List<String> publish = new ArrayList<>();

    @Option(names = "--allow-host-loopback", description = "Let the sandbox reach the host's 127.0.0.1 (slirp/pasta).")
    boolean allowHostLoopback;

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

    @Option(names = "--cgroup-manager", paramLabel = "MODE", description = "auto, systemd, cgroupfs, disabled.", defaultValue = "auto")
    String cgroupManager;

    @Option(names = "--seccomp", paramLabel = "default|unconfined|FILE", description = "Seccomp filter (default: jbox's default).", defaultValue = "default")
    String seccomp;

    @Option(names = "--cap-add", paramLabel = "CAP", description = "Add a capability (CAP_X, X or ALL).")
    List<String> capAdd = new ArrayList<>();

    @Option(names = "--cap-drop", paramLabel = "CAP", description = "Drop a capability (CAP_X, X or ALL).")
    List<String> capDrop = new ArrayList<>();

    @Option(names = "--stop-timeout", paramLabel = "SECONDS", description = "Grace period before SIGKILL after a stop signal (default 10).", defaultValue = "10")
    long stopTimeout;

    @Option(names = "--name", paramLabel = "NAME", description = "Name of the sandbox.")
    String name;

    @Option(names = "--dry-run", description = "Print the launch plan and exit; nothing is started.")
    boolean dryRun;

    @Parameters(paramLabel = "COMMAND", description = "The command and its arguments (put them after --).")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        SandboxSpec spec = spec();
        Sandbox sandbox = new Sandbox(dev.jbox.plugins.Plugins.fromEnvironment());
        if (dryRun) {
            System.out.print(sandbox.plan(spec).render());
            return 0;
        }
        SignalForwarder signals = SignalForwarder.install();
        SandboxProcess process = sandbox.launch(spec);
        signals.attach(process);
        ExitStatus status = process.exitStatus();
        return status.shellStatus();
    }

    SandboxSpec spec() {
        SandboxSpec.Builder b = SandboxSpec.builder().command(command).dieWithParent(true);
        if (rootfs != null && image != null) throw new SpecException("--rootfs and --image exclude each other: pick one root filesystem");
        if (rootfs != null) b.rootfs(rootfs.toAbsolutePath());
        if (image != null) b.image(image);
        for (String v : volumes) b.mount(volume(v));
        for (String t : tmpfs) {
            int colon = t.indexOf(':');
            b.mount(new MountSpec.Tmpfs(colon < 0 ? t : t.substring(0, colon), colon < 0 ? "" : t.substring(colon + 1)));
        }
        b.readOnly(readOnly).hostname(hostname).workdir(workdir).name(name);
        b.env(environment());
        UserNamespaceMode mode = switch (userns) {
            case "", "host", "single" -> UserNamespaceMode.SINGLE;
            case "auto" -> UserNamespaceMode.AUTO;
            default -> throw new SpecException("--userns " + userns + ": expected auto (or nothing)");
        };
        b.identity(user == null ? new Identity(mode, 0, 0) : Identity.parseUser(mode, user));
        b.network(new NetworkSpec(NetworkMode.parse(network), publish.stream().map(PortMapping::parse).toList(), allowHostLoopback));
        b.limits(new Limits(memory == null ? null : Limits.parseSize("--memory", memory),
                memorySwap == null ? null : memorySwap.equals("-1") ? -1L : Limits.parseSize("--memory-swap", memorySwap),
                cpus, pidsLimit, cpuWeight, ioWeight));
        b.cgroupManager(CgroupManager.parse(cgroupManager));
        b.security(new SecuritySpec(SecuritySpec.Seccomp.parse(seccomp), new java.util.LinkedHashSet<>(capAdd), new java.util.LinkedHashSet<>(capDrop)));
        if (stopTimeout < 0) throw new SpecException("--stop-timeout must not be negative");
        b.stopTimeout(Duration.ofSeconds(stopTimeout));
        return b.build();
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

    private Map<String, String> environment() {
        Map<String, String> vars = new LinkedHashMap<>();
        for (Path file : envFiles) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file);
            } catch (IOException e) {
                throw new JboxException("--env-file " + file + ": cannot read it (" + e.getMessage() + ")");
            }
            int n = 0;
            for (String line : lines) {
                n++;
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) continue;
                if (!l.contains("=")) throw new SpecException("--env-file " + file + ":" + n + ": expected NAME=VALUE, got " + l);
                putVariable(vars, l);
            }
        }
        for (String e : env) putVariable(vars, e);
        return vars;
    }

    private static void putVariable(Map<String, String> vars, String assignment) {
        int eq = assignment.indexOf('=');
        if (eq < 0) {
            String value = System.getenv(assignment);
            if (value != null) vars.put(assignment, value);
        } else {
            vars.put(assignment.substring(0, eq), assignment.substring(eq + 1));
        }
    }
}
