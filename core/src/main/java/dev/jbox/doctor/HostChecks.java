package dev.jbox.doctor;

import dev.jbox.launch.UserNamespaceDiagnosis;
import dev.jbox.linux.Landlock;
import dev.jbox.linux.Linux;
import dev.jbox.linux.ProcFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The host checks of {@code jbox doctor}. Each reads the host as it is; none changes anything. */
public final class HostChecks {
    private HostChecks() {}

    public static List<Check> run() {
        List<Check> checks = new ArrayList<>();
        checks.add(kernel());
        checks.add(userNamespaces());
        checks.add(landlock(Landlock.abi()));
        checks.add(idMapTool("newuidmap"));
        checks.add(idMapTool("newgidmap"));
        checks.add(subordinateIds());
        checks.add(tool("slirp4netns", "slirp4netns", "--network slirp"));
        checks.add(tool("pasta", "passt", "--network pasta"));
        checks.add(tool("fuse-overlayfs", "fuse-overlayfs", "images when the kernel's overlayfs cannot be used"));
        checks.add(device("/dev/fuse", "fuse-overlayfs"));
        checks.add(device("/dev/net/tun", "slirp4netns and pasta"));
        checks.add(cgroupV2());
        checks.add(userSession());
        checks.add(delegatedControllers());
        return checks;
    }

    static Check kernel() {
        String release = read(Path.of("/proc/sys/kernel/osrelease")).orElse("unknown");
        int[] v = parseVersion(release);
        if (v[0] > 5 || (v[0] == 5 && v[1] >= 12)) return Check.ok("kernel", release);
        return Check.fail("kernel", release + " is older than 5.12", "jbox needs Linux 5.12 or newer (mount_setattr, userxattr overlays)");
    }

    static int[] parseVersion(String release) {
        String[] parts = release.split("[.-]");
        try {
            return new int[] {Integer.parseInt(parts[0]), parts.length > 1 ? Integer.parseInt(parts[1]) : 0};
        } catch (NumberFormatException e) {
            return new int[] {0, 0};
        }
    }

    static Check userNamespaces() {
        String problem = UserNamespaceDiagnosis.problem(UserNamespaceDiagnosis::readSysctl);
        if (problem == null) return Check.ok("user namespaces", "allowed for unprivileged users");
        int semicolon = problem.indexOf("; ");
        return Check.fail("user namespaces", problem.substring(0, semicolon), problem.substring(semicolon + 2));
    }

    /** Landlock's ABI decides whether --network host can keep the host's abstract unix sockets out. */
    static Check landlock(int abi) {
        String name = "Landlock";
        if (Landlock.scopesAbstractUnixSockets(abi)) {
            return Check.ok(name, "ABI " + abi + ": abstract unix sockets of the host are blocked under --network host");
        }
        String found = abi == 0 ? "missing or disabled" : "ABI " + abi;
        return Check.warn(name, found + ": abstract unix sockets of the host are not blocked under --network host",
                "Linux 6.12 or newer with Landlock enabled (ABI 6) scopes them; other network modes are not affected");
    }

    static Check idMapTool(String name) {
        Optional<Path> path = onPath(name);
        if (path.isEmpty()) return Check.warn(name, "not installed", "install the uidmap package (needed for --userns=auto)");
        try {
            boolean setuid = (int) Files.getAttribute(path.get(), "unix:mode") % 010000 >= 04000;
            return setuid ? Check.ok(name, path.get() + " (setuid)")
                    : Check.warn(name, path.get() + " is not setuid", "it must be setuid root or carry file capabilities (reinstall uidmap)");
        } catch (IOException e) {
            return Check.warn(name, "cannot inspect " + path.get(), null);
        }
    }

    static Check subordinateIds() {
        String user = System.getProperty("user.name");
        for (String file : List.of("/etc/subuid", "/etc/subgid")) {
            boolean found = read(Path.of(file)).map(s -> s.lines().anyMatch(l -> l.startsWith(user + ":") || l.startsWith(Linux.getuid() + ":"))).orElse(false);
            if (!found) {
                return Check.warn("subordinate ids", "no entry for " + user + " in " + file,
                        "usermod --add-subuids 100000-165535 --add-subgids 100000-165535 " + user + " (needed for --userns=auto)");
            }
        }
        return Check.ok("subordinate ids", "/etc/subuid and /etc/subgid have " + user);
    }

    static Check tool(String name, String pkg, String neededFor) {
        return onPath(name).map(p -> Check.ok(name, p.toString()))
                .orElse(Check.warn(name, "not installed", "apt install " + pkg + " (needed for " + neededFor + ")"));
    }

    static Check device(String device, String neededBy) {
        Path p = Path.of(device);
        if (!Files.exists(p)) return Check.warn(device, "missing", "load the module (modprobe " + p.getFileName() + ")");
        if (Files.isReadable(p) && Files.isWritable(p)) return Check.ok(device, "read-write for you");
        String mode = "";
        try {
            mode = " (mode " + java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p)) + ")";
        } catch (IOException | UnsupportedOperationException ignored) {
            // Mode unknown; the verdict stands.
        }
        return Check.warn(device, "not accessible to you" + mode,
                "usually udev makes it 0666; an administrator can run: chmod 0666 " + device + " (needed by " + neededBy + ")");
    }

    static Check cgroupV2() {
        String mountinfo = read(Path.of("/proc/self/mountinfo")).orElse("");
        boolean unified = mountinfo.lines().anyMatch(l -> l.contains(" /sys/fs/cgroup ") && l.contains(" - cgroup2 "));
        if (unified) return Check.ok("cgroup v2", "unified hierarchy at /sys/fs/cgroup");
        boolean v1 = mountinfo.lines().anyMatch(l -> l.contains(" - cgroup "));
        return Check.warn("cgroup v2", v1 ? "cgroup v1 or hybrid hierarchy" : "no cgroup2 at /sys/fs/cgroup",
                "resource limits (--memory, --cpus, --pids-limit) need cgroup v2: boot with systemd.unified_cgroup_hierarchy=1");
    }

    static Check userSession() {
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        if (runtime == null || runtime.isEmpty()) {
            return Check.warn("systemd user session", "XDG_RUNTIME_DIR is not set",
                    "log in through a session, or ask for lingering: loginctl enable-linger " + System.getProperty("user.name"));
        }
        if (!Files.exists(Path.of(runtime, "bus"))) {
            return Check.warn("systemd user session", "no user bus at " + runtime + "/bus", "install dbus-user-session and log in again");
        }
        return Check.ok("systemd user session", "user bus at " + runtime + "/bus");
    }

    /** What systemd delegates to the user's manager: limits need memory, pids, cpu (and io for --io-weight). */
    static Check delegatedControllers() {
        int uid = Linux.getuid();
        Path manager = Path.of("/sys/fs/cgroup/user.slice/user-" + uid + ".slice/user@" + uid + ".service/cgroup.controllers");
        Optional<String> controllers = read(manager);
        if (controllers.isEmpty()) {
            return Check.warn("delegated controllers", "none found (no cgroup v2 user manager at " + manager.getParent() + ")",
                    "limits need a systemd user manager on cgroup v2: see the cgroup v2 and user session lines");
        }
        List<String> have = List.of(controllers.get().split("\\s+"));
        List<String> missing = java.util.stream.Stream.of("memory", "pids", "cpu", "io").filter(c -> !have.contains(c)).toList();
        if (missing.isEmpty()) return Check.ok("delegated controllers", String.join(" ", have));
        return Check.warn("delegated controllers", controllers.get() + " (missing: " + String.join(" ", missing) + ")",
                "an administrator can delegate them: /etc/systemd/system/user@.service.d/delegate.conf with [Service] Delegate=cpu cpuset io memory pids");
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
        for (String dir : path.split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(p)) return Optional.of(p);
        }
        for (String dir : List.of("/usr/sbin", "/sbin")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    private static Optional<String> read(Path p) {
        return ProcFiles.read(p);
    }

}
