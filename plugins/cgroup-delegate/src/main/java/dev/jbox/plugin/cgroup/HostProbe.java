package dev.jbox.plugin.cgroup;

import dev.jbox.spec.CgroupManager;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Gathers {@link HostFacts}, reading only: mountinfo, jbox's own cgroup and its parent, and the
 * user bus (connecting to it). The systemd connection it opened is handed on to the backend.
 */
final class HostProbe {
    static final String SESSION_HINT = "log in through a session (ssh or a console login, not su or sudo) so that systemd"
            + " starts your user manager, or keep one running with: loginctl enable-linger $USER";

    /** The facts, the cgroup2 mount they refer to (if any), and an open bus when systemd answered. */
    record Result(HostFacts facts, Optional<CgroupLayout.Mount> mount, SystemdBus bus) {
        void closeBus() {
            if (bus != null) bus.close();
        }
    }

    private final Host host;

    HostProbe(Host host) {
        this.host = host;
    }

    /** {@code needed}: the controllers the limits need (a host holding them in cgroup v1 is not asked about systemd). */
    Result probe(CgroupManager manager, Set<Controller> needed) throws IOException {
        String mountinfo = host.fs().read(host.proc("self/mountinfo"));
        String selfCgroup = host.fs().read(host.proc("self/cgroup"));
        CgroupLayout layout = CgroupLayout.parse(mountinfo);
        Optional<CgroupLayout.Mount> mount = layout.unified();
        Optional<String> ownPath = CgroupLayout.v2Path(selfCgroup);
        DirFacts own = null, parent = null;
        if (mount.isPresent() && ownPath.isPresent()) {
            own = dir(mount.get(), ownPath.get());
            String parentPath = DirFacts.parentOf(ownPath.get());
            if (parentPath != null) parent = dir(mount.get(), parentPath);
        }
        boolean v2Usable = mount.isPresent() && own != null && layout.boundToV1(needed).isEmpty();
        SystemdBus bus = null;
        BusStatus busStatus = BusStatus.NOT_PROBED;
        if (manager != CgroupManager.CGROUPFS && v2Usable) {
            BusProbe busProbe = probeBus(mount.get());
            bus = busProbe.bus();
            busStatus = busProbe.status();
        }
        return new Result(new HostFacts(mountinfo, selfCgroup, own, parent, busStatus), mount, bus);
    }

    /** A cgroup directory's facts; what cannot be read counts as absent (and then as "cannot use"). */
    private DirFacts dir(CgroupLayout.Mount mount, String cgroupPath) {
        Path dir = host.at(mount.pathOf(cgroupPath));
        CgroupFs fs = host.fs();
        boolean writable = fs.writable(dir) && fs.writable(dir.resolve("cgroup.procs")) && fs.writable(dir.resolve("cgroup.subtree_control"));
        String procs = readOr(dir.resolve("cgroup.procs"), "");
        List<String> pids = procs.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        boolean onlySelf = pids.equals(List.of(Long.toString(host.selfPid())));
        return new DirFacts(cgroupPath, Controller.parseList(readOr(dir.resolve("cgroup.controllers"), "")),
                Controller.parseList(readOr(dir.resolve("cgroup.subtree_control"), "")), pids.size(), onlySelf, writable);
    }

    private String readOr(Path file, String fallback) {
        try {
            return host.fs().read(file);
        } catch (IOException e) {
            return fallback;
        }
    }

    private record BusProbe(BusStatus status, SystemdBus bus) {
        static BusProbe unavailable(String reason, String hint) {
            return new BusProbe(new BusStatus.Unavailable(reason, hint), null);
        }
    }

    /** The user bus: {@code DBUS_SESSION_BUS_ADDRESS}, else {@code $XDG_RUNTIME_DIR/bus}; then systemd on it. */
    private BusProbe probeBus(CgroupLayout.Mount mount) {
        String address = host.env("DBUS_SESSION_BUS_ADDRESS");
        if (address == null) {
            String runtimeDir = host.env("XDG_RUNTIME_DIR");
            if (runtimeDir == null) {
                return BusProbe.unavailable("there is no user session (XDG_RUNTIME_DIR and DBUS_SESSION_BUS_ADDRESS are unset),"
                        + " so no systemd user manager to ask for a scope", SESSION_HINT);
            }
            Path socket = Path.of(runtimeDir, "bus");
            if (!host.fs().exists(socket)) {
                return BusProbe.unavailable("there is no user bus at " + socket + " (no systemd user manager running for you?)", SESSION_HINT);
            }
            address = "unix:path=" + socket;
        }
        SystemdBus bus;
        try {
            bus = SystemdBus.connect(address);
        } catch (Exception e) {
            return BusProbe.unavailable("cannot connect to the user bus " + address + ": " + e.getMessage(), SESSION_HINT);
        }
        try {
            if (!bus.managerPresent()) {
                bus.close();
                return BusProbe.unavailable("no systemd user manager on the user bus " + address
                        + " (nothing owns org.freedesktop.systemd1)", SESSION_HINT);
            }
        } catch (Exception e) {
            bus.close();
            return BusProbe.unavailable("asking the user bus " + address + " for systemd: " + e.getMessage(), SESSION_HINT);
        }
        Optional<Set<String>> delegated = bus.managerControlGroup()
                .map(cgroup -> host.at(mount.pathOf(cgroup)).resolve("cgroup.controllers"))
                .flatMap(file -> {
                    try {
                        return Optional.of(Controller.parseList(host.fs().read(file)));
                    } catch (IOException e) {
                        return Optional.empty();
                    }
                });
        return new BusProbe(new BusStatus.Available(address, delegated), bus);
    }
}
