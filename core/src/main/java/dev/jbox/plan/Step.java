package dev.jbox.plan;

import dev.jbox.linux.CloneFlags;
import dev.jbox.linux.Errno;
import dev.jbox.linux.Landlock;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One named thing the sandbox's first process does before it execs the workload. A
 * {@link LaunchPlan} is an ordered list of these: pure data, printed by {@code --dry-run},
 * inspected by unit tests, and lowered to raw system calls by the launcher.
 *
 * <p>Paths are those the child sees while it sets up: the host at {@value Staging#OLD_ROOT},
 * the future root at {@value Staging#NEW_ROOT}.
 */
public sealed interface Step {
    /** What the step does, for error messages: {@code mounting proc on /proc}. */
    String describe();

    /** Errors that mean "already done" for this step, not failure. */
    default Set<Errno> tolerated() {
        return Set.of();
    }

    record Unshare(int flags) implements Step {
        public String describe() { return "creating " + CloneFlags.namespaces(flags) + " namespaces"; }
    }

    /** {@code mount(NULL, "/", NULL, MS_REC|MS_PRIVATE)}: nothing propagates back to the host. */
    record MakeMountsPrivate() implements Step {
        public String describe() { return "making all mounts private"; }
    }

    /** mount(2). {@code what} names it for people: "proc", "tmpfs", "bind of /home/u/src". */
    record Mount(String what, String source, String target, String fsType, long flags, String data) implements Step {
        public String describe() { return "mounting " + what + " on " + Staging.display(target); }
    }

    /** mount_setattr(2) adding attributes (read-only, nosuid, nodev), recursively or not. */
    record SetMountAttributes(String path, long attributes, boolean recursive) implements Step {
        public String describe() { return "setting mount attributes " + MountAttributes.names(attributes) + " on " + Staging.display(path); }
    }

    /**
     * A host socket the root or a bind still shows, hidden under a bind of /dev/null: connect(2)
     * then fails (ECONNREFUSED, not a socket). A socket gone since the scan needs no hiding.
     */
    record HideSocket(String socket, String target) implements Step {
        public static final String COVER = Staging.host("/dev/null");

        public String describe() { return "hiding host socket " + socket + " at " + Staging.display(target); }
        public Set<Errno> tolerated() { return Set.of(Errno.ENOENT); }
    }

    record MakeDirectory(String path, int mode) implements Step {
        public String describe() { return "creating directory " + Staging.display(path); }
        public Set<Errno> tolerated() { return Set.of(Errno.EEXIST); }
    }

    /** An empty regular file as a bind-mount target for a file (mknodat S_IFREG returns no fd). */
    record MakeFile(String path) implements Step {
        public String describe() { return "creating file " + Staging.display(path); }
        public Set<Errno> tolerated() { return Set.of(Errno.EEXIST); }
    }

    record MakeSymlink(String linkTarget, String path) implements Step {
        public String describe() { return "creating symlink " + Staging.display(path) + " -> " + linkTarget; }
        public Set<Errno> tolerated() { return Set.of(Errno.EEXIST); }
    }

    record ChangeDirectory(String path) implements Step {
        public String describe() { return "changing directory to " + Staging.display(path); }
    }

    record PivotRoot(String newRoot, String putOld) implements Step {
        public String describe() { return newRoot.equals(".") ? "pivoting into the sandbox's root" : "pivoting into the staging root " + newRoot; }
    }

    /** umount2(path, MNT_DETACH). */
    record Detach(String path) implements Step {
        public String describe() { return "detaching " + path; }
    }

    record SetHostname(String hostname) implements Step {
        public String describe() { return "setting hostname " + hostname; }
    }

    /** socket + ioctl(SIOCSIFFLAGS) + close: the only interface of a new network namespace. */
    record BringUpLoopback() implements Step {
        public String describe() { return "bringing up loopback"; }
    }

    /** setsid(): the workload cannot reach the caller's terminal (CVE-2017-5226 class). */
    record NewSession() implements Step {
        public String describe() { return "starting a new session"; }
    }

    /**
     * A pseudo-terminal from the sandbox's own devpts (so ttyname works inside, as with crun): open
     * /dev/pts/ptmx, unlock it, take its peer as stdout, stderr and (if {@code input}) stdin. The
     * master stays open at a known fd until the parent takes it with pidfd_getfd at the checkpoint.
     */
    record OpenTerminal(boolean input) implements Step {
        public String describe() { return "opening a terminal in /dev/pts"; }
    }

    /** ioctl(1, TIOCSCTTY): the pty on stdout (stdin is /dev/null without -i) becomes the new session's controlling terminal. */
    record SetControllingTerminal() implements Step {
        public String describe() { return "taking the terminal as controlling terminal"; }
    }

    /**
     * Joins namespaces of a running process (a helper entering a sandbox, DESIGN §2): opens every
     * {@code /proc/PID/ns/<name>} first, then setns(2) on each in {@link #ORDER} (the user namespace
     * first: it gives the capabilities joining the others needs), then closes them. Like the
     * loopback step, it relies on the fds being the first free numbers: nothing opened before it.
     */
    record JoinNamespaces(int pid, int namespaces) implements Step {
        /** Namespace flags and their names under /proc/PID/ns, in the order they are joined. */
        public static final List<Map.Entry<Integer, String>> ORDER = List.of(
                Map.entry(CloneFlags.CLONE_NEWUSER, "user"), Map.entry(CloneFlags.CLONE_NEWNS, "mnt"),
                Map.entry(CloneFlags.CLONE_NEWUTS, "uts"), Map.entry(CloneFlags.CLONE_NEWIPC, "ipc"),
                Map.entry(CloneFlags.CLONE_NEWNET, "net"), Map.entry(CloneFlags.CLONE_NEWCGROUP, "cgroup"));

        public String describe() { return "joining the " + CloneFlags.namespaces(namespaces) + " namespaces of process " + pid; }

        /** Each namespace joined, in order: its flag and its {@code /proc/PID/ns} file. */
        public List<Map.Entry<Integer, String>> files() {
            return ORDER.stream().filter(ns -> (namespaces & ns.getKey()) != 0)
                    .map(ns -> Map.entry(ns.getKey(), "/proc/" + pid + "/ns/" + ns.getValue())).toList();
        }
    }

    record DieWithParent(int signal) implements Step {
        public String describe() { return "arranging signal " + signal + " on parent death"; }
    }

    /** prctl(PR_CAPBSET_DROP) for each capability number in the mask. */
    record DropBoundingCapabilities(long mask) implements Step {
        public String describe() { return "dropping capabilities from the bounding set"; }
    }

    /** setresgid then setresuid, raw (glibc's wrappers broadcast to threads that do not exist here). */
    record SetIds(int uid, int gid) implements Step {
        public String describe() { return "switching to uid " + uid + " gid " + gid; }
    }

    /** capset(2): effective, permitted and inheritable sets (64-bit masks). */
    record SetCapabilities(long effective, long permitted, long inheritable) implements Step {
        public String describe() { return "setting capabilities"; }
    }

    record NoNewPrivileges() implements Step {
        public String describe() { return "setting no_new_privs"; }
    }

    /**
     * landlock_create_ruleset with only {@code scoped} set, landlock_restrict_self, close: the
     * process and its descendants enter a Landlock domain that restricts nothing but the scopes
     * ({@code LANDLOCK_SCOPE_*} bits). Needs no_new_privs, and comes before the seccomp filter.
     */
    record RestrictLandlock(long scoped) implements Step {
        public String describe() { return "restricting with Landlock: " + Landlock.scopeNames(scoped) + " scoped"; }
    }

    /** seccomp(SECCOMP_SET_MODE_FILTER) with a compiled classic-BPF program. */
    /** {@code flags}: the profile's {@code SECCOMP_FILTER_FLAG_*} bits (TSYNC, LOG, SPEC_ALLOW). */
    record InstallSeccomp(byte[] program, int instructions, int flags, String name) implements Step {
        public String describe() { return "installing seccomp filter " + name + (flags == 0 ? "" : " (flags 0x" + Integer.toHexString(flags) + ")"); }

        @Override
        public boolean equals(Object o) {
            return o instanceof InstallSeccomp s && java.util.Arrays.equals(program, s.program) && flags == s.flags && name.equals(s.name);
        }

        @Override
        public int hashCode() { return java.util.Arrays.hashCode(program) * 31 + name.hashCode(); }

        @Override
        public String toString() { return "InstallSeccomp[" + name + ", " + instructions + " instructions]"; }
    }
}
