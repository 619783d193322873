package dev.jbox.cli;

import java.nio.file.Path;
import java.util.List;

import static dev.jbox.cli.RunOption.flag;
import static dev.jbox.cli.RunOption.repeated;
import static dev.jbox.cli.RunOption.single;

/**
 * {@code jbox run}'s command line, declared once. {@link RunModel} makes picocli's model of it
 * (help, completion, every error message) and {@link FastRunParser} parses the common case
 * without picocli, which costs ~90 ms of start-up (docs/bench.md).
 */
final class RunOptions {
    private RunOptions() {}

    static final String NAME = "run";

    static final String DESCRIPTION = "Run a command in a new rootless sandbox.";

    static final String[] FOOTER = {"", "Examples:",
            "  jbox run -- id                                   host / read-only, you are root inside",
            "  jbox run --rootfs ./rootfs --hostname box -- sh -c 'hostname; ls /'",
            "  jbox run -v $PWD:/src:ro -w /src --tmpfs /out -- make",
            "  jbox run -it --rootfs ./rootfs -- sh                  an interactive shell",
            "  jbox run --dry-run --rootfs ./rootfs -- /bin/true     print the launch plan only",
            "  jbox run --profile examples/profiles/build.toml -- make   a reviewed, shareable sandbox",
            "  jbox run -d --name web --rootfs ./rootfs -- httpd -f   in the background; see jbox ps",
            "", "Exit status: the command's own; 128+N if killed by signal N; 125 jbox failed;",
            "126 the command cannot be executed; 127 the command was not found."};

    /** The positional parameters: the command and its arguments. */
    static final String COMMAND_LABEL = "COMMAND";
    static final String COMMAND_DESCRIPTION = "The command and its arguments (put them after --).";

    static final List<RunOption> ALL = List.of(
            single("--profile", "FILE", Path.class, "Start from a TOML profile; flags given here override it.", (r, v) -> r.profile = v),
            single("--rootfs", "DIR", Path.class, "Directory to use as the root filesystem (default: the host's / read-only).", (r, v) -> r.rootfs = v),
            single("--image", "NAME[:TAG]", String.class, "Image to use as the root filesystem (storage-overlay plugin).", (r, v) -> r.image = v),
            repeated("--storage-opt", "NAME=VALUE", String.class, "Image storage option, as podman's: overlay.mount_program=fuse-overlayfs mounts the image with fuse-overlayfs instead of the kernel's overlayfs.", (r, v) -> r.storageOptions.add(v)),
            repeated("-v,--volume", "SRC:DST[:ro]", String.class, "Bind a host path into the sandbox (nosuid, nodev).", (r, v) -> r.volumes.add(v)),
            repeated("--tmpfs", "DST[:OPTIONS]", String.class, "Mount a fresh tmpfs at DST.", (r, v) -> r.tmpfs.add(v)),
            flag("--read-only", "Make the root filesystem read-only (always so for the host's /).", (r, v) -> r.readOnly = v),
            single("--hostname", "NAME", String.class, "Hostname inside (default: the --name, else jbox).", (r, v) -> r.hostname = v),
            repeated("-e,--env", "NAME[=VALUE]", String.class, "Set a variable; without a value, take the host's.", (r, v) -> r.env.add(v)),
            repeated("--env-file", "FILE", Path.class, "Read NAME=VALUE lines from FILE (# comments; a bare NAME takes the host's).", (r, v) -> r.envFiles.add(v)),
            single("-w,--workdir", "DIR", String.class, "Working directory inside.", (r, v) -> r.workdir = v),
            single("-u,--user", "UID[:GID]", String.class, "Run as this user inside (default 0:0).", (r, v) -> r.user = v),
            single("--userns", "MODE", String.class, "'' (default: your uid maps to the sandbox user) or auto (subordinate ids from /etc/subuid).", (r, v) -> r.userns = v),
            single("--network", "MODE", String.class, "none (loopback only, default), host, slirp, pasta, auto.", (r, v) -> r.network = v),
            repeated("-p,--publish", "[IP:]HOSTPORT:PORT[/PROTO]", String.class, "Publish a port (needs --network slirp|pasta|auto).", (r, v) -> r.publish.add(v)),
            flag("--allow-host-loopback", "Let the sandbox reach the host's 127.0.0.1 (slirp/pasta).", (r, v) -> r.allowHostLoopback = v),
            flag("--allow-host-abstract-sockets", "With --network host, let the sandbox reach the host's abstract unix sockets (X11, D-Bus).", (r, v) -> r.allowHostAbstractSockets = v),
            single("--memory", "SIZE", String.class, "Memory limit, e.g. 512m, 2G.", (r, v) -> r.memory = v),
            single("--memory-swap", "SIZE", String.class, "Swap limit (-1: unlimited).", (r, v) -> r.memorySwap = v),
            single("--cpus", "N", Double.class, "CPU limit, fractional (0.5 = half a CPU).", (r, v) -> r.cpus = v),
            single("--pids-limit", "N", Long.class, "Maximum number of processes.", (r, v) -> r.pidsLimit = v),
            single("--cpu-weight", "N", Integer.class, "CPU weight, 1-10000.", (r, v) -> r.cpuWeight = v),
            single("--io-weight", "N", Integer.class, "IO weight, 1-10000.", (r, v) -> r.ioWeight = v),
            single("--cgroup-manager", "MODE", String.class, "auto (default), systemd, cgroupfs, disabled.", (r, v) -> r.cgroupManager = v),
            single("--seccomp", "default|unconfined|FILE", String.class, "Seccomp filter (default: jbox's default).", (r, v) -> r.seccomp = v),
            repeated("--cap-add", "CAP", String.class, "Add a capability (CAP_X, X or ALL).", (r, v) -> r.capAdd.add(v)),
            repeated("--cap-drop", "CAP", String.class, "Drop a capability (CAP_X, X or ALL).", (r, v) -> r.capDrop.add(v)),
            single("--stop-timeout", "DURATION", String.class, "Grace period before SIGKILL after a stop signal: seconds or 10s, 1m (default 10s).", (r, v) -> r.stopTimeout = v),
            single("--name", "NAME", String.class, "Name of the sandbox.", (r, v) -> r.name = v),
            flag("-t,--tty", "Give the command a terminal (raw mode, resized with yours).", (r, v) -> r.tty = v),
            flag("-i,--interactive", "Keep stdin open (with -t: relay your keystrokes).", (r, v) -> r.interactive = v),
            flag("--rm", "Remove what is kept for the sandbox after it exits (a named image sandbox's writable layer; unnamed ones keep nothing).", (r, v) -> r.rm = v),
            flag("--dry-run", "Print the resolved spec and the launch plan; nothing is started.", (r, v) -> r.dryRun = v),
            flag("-d,--detach", "Run in the background: print the sandbox's id and leave it running (see jbox ps, logs, stop, rm).", (r, v) -> r.detach = v));
}
