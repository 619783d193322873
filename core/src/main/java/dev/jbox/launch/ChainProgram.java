package dev.jbox.launch;

import dev.jbox.linux.Linux;
import dev.jbox.linux.MountFlags;
import dev.jbox.linux.Sys;
import dev.jbox.linux.Terminal;
import dev.jbox.plan.ExecPlan;
import dev.jbox.plan.LaunchPlan;
import dev.jbox.plan.Step;
import dev.jbox.spec.UserNamespaceMode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.jbox.launch.Arg.num;
import static dev.jbox.launch.Arg.str;

/**
 * A launch plan lowered to the exact system calls the child makes, in order (DESIGN §2 protocol):
 * hello, fd moves, wait for id maps, the plan's steps, checkpoint, wait for release, execve of
 * each candidate, exit_group(127). With {@code childWritesMaps}, the child writes its own single
 * id mapping after the fd moves instead of the hello and the wait, as {@code unshare
 * --map-root-user} does. Pure data: unit tests read it like a syscall trace.
 * {@code checkpoint} is the index of the first checkpoint call: the parent checks the errno slots
 * of the calls before it.
 */
record ChainProgram(List<Call> calls, List<Step> steps, ExecPlan exec, int checkpoint, boolean childWritesMaps) {
    static final int EXIT_EXEC_FAILED = 127;
    private static final long CLOSE_RANGE_CLOEXEC = 1 << 2;
    private static final long UINT_MAX = 0xFFFF_FFFFL;
    private static final int PR_SET_PDEATHSIG = 1, PR_SET_DUMPABLE = 4, PR_CAPBSET_DROP = 24, PR_SET_NO_NEW_PRIVS = 38;
    private static final int SECCOMP_SET_MODE_FILTER = 1;
    private static final int AF_INET = 2, SOCK_DGRAM = 2, SIOCSIFFLAGS = 0x8914;
    private static final short IFF_UP = 0x1, IFF_LOOPBACK = 0x8, IFF_RUNNING = 0x40;
    private static final int S_IFREG = 0100000, LINUX_CAPABILITY_VERSION_3 = 0x20080522;

    /**
     * @param caughtSignals the JVM's handled signals (SigCgt): the child has copies of those handlers,
     *                      which point into a VM it is not; they are reset to SIG_DFL before the
     *                      execve link unblocks signals.
     */
    static ChainProgram lower(LaunchPlan plan, ChildFds fds, long caughtSignals, boolean childWritesMaps) {
        if (childWritesMaps && plan.ids().mode() != UserNamespaceMode.SINGLE) {
            throw new IllegalArgumentException("only a single id mapping can be written by the child itself");
        }
        List<Call> calls = new ArrayList<>();
        int fdPhase = Phase.FDS.index;
        if (!childWritesMaps) calls.add(new Call(Phase.HELLO.index, Sys.WRITE, num(fds.ready()), new Arg.GoByte(), num(1)));
        // Two rounds of dup3 so no source is overwritten before it is copied: first above every
        // source, then down to the fixed numbers. Then everything else is closed, so the next fd
        // the child opens is FIRST_FREE (the loopback socket relies on it).
        int[] sources = fds.sources(), targets = ChildFds.targets();
        int high = 1 + max(sources, ChildFds.READY);
        for (int i = 0; i < sources.length; i++) calls.add(new Call(fdPhase, Sys.DUP3, num(sources[i]), num(high + i), num(0)));
        for (int i = 0; i < sources.length; i++) calls.add(new Call(fdPhase, Sys.DUP3, num(high + i), num(targets[i]), num(0)));
        calls.add(new Call(fdPhase, Sys.CLOSE_RANGE, num(ChildFds.FIRST_FREE), num(UINT_MAX), num(0)));
        if (childWritesMaps) {
            // Allowed without privileges for a single mapping of the child's own ids; setgroups first.
            writeOwnFile(calls, "/proc/self/setgroups", "deny");
            writeOwnFile(calls, "/proc/self/uid_map", plan.ids().singleUidMap());
            writeOwnFile(calls, "/proc/self/gid_map", plan.ids().singleGidMap());
        } else {
            calls.add(new Call(Phase.WAIT_FOR_MAPS.index, Sys.READ, num(ChildFds.GO), new Arg.GoByte(), num(1)));
        }
        // The next fd the chain opens: the pty master stays open at TERMINAL until the checkpoint.
        int free = ChildFds.FIRST_FREE;
        for (int i = 0; i < plan.steps().size(); i++) {
            Step step = plan.steps().get(i);
            lowerStep(calls, i, step, free);
            if (step instanceof Step.OpenTerminal) free = ChildFds.TERMINAL + 1;
        }
        int checkpointIndex = calls.size(), release = Phase.CHECKPOINT.index;
        calls.add(new Call(release, Sys.WRITE, num(ChildFds.READY), new Arg.GoByte(), num(1)));
        calls.add(new Call(release, Sys.READ, num(ChildFds.GO), new Arg.Gate(), num(gateSize(plan.exec()))));
        calls.add(new Call(release, Sys.CLOSE_RANGE, num(ChildFds.GO), num(UINT_MAX), num(CLOSE_RANGE_CLOEXEC)));
        for (int sig = 1; sig <= 64; sig++) {
            if ((caughtSignals & (1L << (sig - 1))) != 0) {
                calls.add(new Call(Phase.EXEC.index, Sys.RT_SIGACTION, num(sig), new Arg.Bytes(new byte[32]), num(0), num(8)));
            }
        }
        Arg argv = new Arg.StringArray(plan.exec().argv()), envp = new Arg.StringArray(plan.exec().env());
        for (int i = 0; i < plan.exec().candidates().size(); i++) {
            calls.add(new Call(Phase.EXEC.index, Sys.EXECVE, new Arg.GatePath(i), argv, envp));
        }
        calls.add(new Call(Phase.EXEC.index, Sys.EXIT_GROUP, num(EXIT_EXEC_FAILED)));
        return new ChainProgram(List.copyOf(calls), plan.steps(), plan.exec(), checkpointIndex, childWritesMaps);
    }

    /** open + one write + close of a /proc/self file; the fd is the first free one. */
    private static void writeOwnFile(List<Call> calls, String path, String content) {
        int phase = Phase.WRITE_MAPS.index;
        byte[] bytes = content.getBytes(StandardCharsets.US_ASCII);
        calls.add(new Call(phase, Sys.OPENAT, num(Linux.AT_FDCWD), str(path), num(Linux.O_WRONLY | Linux.O_CLOEXEC), num(0)));
        calls.add(new Call(phase, Sys.WRITE, num(ChildFds.FIRST_FREE), new Arg.Bytes(bytes), num(bytes.length)));
        calls.add(new Call(phase, Sys.CLOSE, num(ChildFds.FIRST_FREE)));
    }

    private static int max(int[] values, int floor) {
        int m = floor;
        for (int v : values) m = Math.max(m, v);
        return m;
    }

    /** The gate holds every candidate path, NUL-terminated, back to back. */
    static byte[] gateBytes(ExecPlan exec) {
        StringBuilder sb = new StringBuilder();
        for (String c : exec.candidates()) sb.append(c).append('\0');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static int gateSize(ExecPlan exec) {
        return gateBytes(exec).length;
    }

    /** Offset of candidate {@code index} in the gate. */
    static int gateOffset(ExecPlan exec, int index) {
        int offset = 0;
        for (int i = 0; i < index; i++) offset += exec.candidates().get(i).getBytes(StandardCharsets.UTF_8).length + 1;
        return offset;
    }

    /**
     * The calls for one step. Not a pattern switch, on the launch path (StartupPathTest says why):
     * {@code ChainProgramTest} checks instead that every kind of step is lowered. {@code free} is
     * the fd number the step's first open gets.
     */
    private static void lowerStep(List<Call> calls, int k, Step step, int free) {
        if (step instanceof Step.Unshare u) {
            calls.add(new Call(k, Sys.UNSHARE, num(u.flags())));
        } else if (step instanceof Step.MakeMountsPrivate) {
            calls.add(new Call(k, Sys.MOUNT, num(0), str("/"), num(0),
                    num(MountFlags.MS_REC | MountFlags.MS_PRIVATE), num(0)));
        } else if (step instanceof Step.Mount m) {
            calls.add(new Call(k, Sys.MOUNT, str(m.source()), str(m.target()), str(m.fsType()),
                    num(m.flags()), str(m.data())));
        } else if (step instanceof Step.HideSocket h) {
            calls.add(new Call(k, Sys.MOUNT, str(Step.HideSocket.COVER), str(h.target()), num(0), num(MountFlags.MS_BIND), num(0)));
        } else if (step instanceof Step.SetMountAttributes a) {
            calls.add(new Call(k, Sys.MOUNT_SETATTR, num(Linux.AT_FDCWD), str(a.path()),
                    num(a.recursive() ? MountFlags.AT_RECURSIVE : 0), new Arg.Bytes(mountAttr(a.attributes())), num(32)));
        } else if (step instanceof Step.MakeDirectory d) {
            calls.add(new Call(k, Sys.MKDIRAT, num(Linux.AT_FDCWD), str(d.path()), num(d.mode())));
        } else if (step instanceof Step.MakeFile f) {
            calls.add(new Call(k, Sys.MKNODAT, num(Linux.AT_FDCWD), str(f.path()), num(S_IFREG | 0644), num(0)));
        } else if (step instanceof Step.MakeSymlink s) {
            calls.add(new Call(k, Sys.SYMLINKAT, str(s.linkTarget()), num(Linux.AT_FDCWD), str(s.path())));
        } else if (step instanceof Step.ChangeDirectory c) {
            calls.add(new Call(k, Sys.CHDIR, str(c.path())));
        } else if (step instanceof Step.PivotRoot p) {
            calls.add(new Call(k, Sys.PIVOT_ROOT, str(p.newRoot()), str(p.putOld())));
        } else if (step instanceof Step.Detach d) {
            calls.add(new Call(k, Sys.UMOUNT2, str(d.path()), num(MountFlags.MNT_DETACH)));
        } else if (step instanceof Step.SetHostname h) {
            calls.add(new Call(k, Sys.SETHOSTNAME, str(h.hostname()),
                    num(h.hostname().getBytes(StandardCharsets.UTF_8).length)));
        } else if (step instanceof Step.BringUpLoopback) {
            calls.add(new Call(k, Sys.SOCKET, num(AF_INET), num(SOCK_DGRAM), num(0)));
            calls.add(new Call(k, Sys.IOCTL, num(free), num(SIOCSIFFLAGS), new Arg.Bytes(loopbackUp())));
            calls.add(new Call(k, Sys.CLOSE, num(free)));
        } else if (step instanceof Step.OpenTerminal t) {
            int master = ChildFds.TERMINAL, peer = ChildFds.TERMINAL + 1;
            calls.add(new Call(k, Sys.OPENAT, num(Linux.AT_FDCWD), str("/dev/pts/ptmx"), num(Linux.O_RDWR | Linux.O_NOCTTY), num(0)));
            calls.add(new Call(k, Sys.IOCTL, num(master), num(Terminal.TIOCSPTLCK), new Arg.Bytes(new byte[4])));
            calls.add(new Call(k, Sys.IOCTL, num(master), num(Terminal.TIOCGPTPEER), num(Linux.O_RDWR | Linux.O_NOCTTY)));
            for (int fd = t.input() ? 0 : 1; fd <= 2; fd++) calls.add(new Call(k, Sys.DUP3, num(peer), num(fd), num(0)));
            calls.add(new Call(k, Sys.CLOSE, num(peer)));
        } else if (step instanceof Step.NewSession) {
            calls.add(new Call(k, Sys.SETSID));
        } else if (step instanceof Step.SetControllingTerminal) {
            calls.add(new Call(k, Sys.IOCTL, num(1), num(Terminal.TIOCSCTTY), num(0)));
        } else if (step instanceof Step.JoinNamespaces j) {
            // Opened before any setns: after joining the user namespace, /proc is looked at with its credentials.
            List<java.util.Map.Entry<Integer, String>> files = j.files();
            for (int i = 0; i < files.size(); i++) {
                calls.add(new Call(k, Sys.OPENAT, num(Linux.AT_FDCWD), str(files.get(i).getValue()), num(Linux.O_RDONLY | Linux.O_CLOEXEC), num(0)));
            }
            for (int i = 0; i < files.size(); i++) calls.add(new Call(k, Sys.SETNS, num(free + i), num(files.get(i).getKey())));
            calls.add(new Call(k, Sys.CLOSE_RANGE, num(free), num(UINT_MAX), num(0)));
        } else if (step instanceof Step.DieWithParent d) {
            calls.add(new Call(k, Sys.PRCTL, num(PR_SET_PDEATHSIG), num(d.signal()), num(0), num(0), num(0)));
        } else if (step instanceof Step.DropBoundingCapabilities d) {
            for (int cap = 0; cap < 64; cap++) {
                if ((d.mask() & (1L << cap)) != 0) calls.add(new Call(k, Sys.PRCTL, num(PR_CAPBSET_DROP), num(cap), num(0), num(0), num(0)));
            }
        } else if (step instanceof Step.SetIds s) {
            calls.add(new Call(k, Sys.SETRESGID, num(s.gid()), num(s.gid()), num(s.gid())));
            calls.add(new Call(k, Sys.SETRESUID, num(s.uid()), num(s.uid()), num(s.uid())));
            // Changing ids makes the mm non-dumpable, and under CLONE_VM that mm is the JVM's:
            // its /proc/PID files (and every later child's) would turn root-owned. Restore it.
            calls.add(new Call(k, Sys.PRCTL, num(PR_SET_DUMPABLE), num(1), num(0), num(0), num(0)));
        } else if (step instanceof Step.SetCapabilities c) {
            calls.add(new Call(k, Sys.CAPSET, new Arg.Bytes(capHeader()),
                    new Arg.Bytes(capData(c.effective(), c.permitted(), c.inheritable()))));
        } else if (step instanceof Step.NoNewPrivileges) {
            calls.add(new Call(k, Sys.PRCTL, num(PR_SET_NO_NEW_PRIVS), num(1), num(0), num(0), num(0)));
        } else if (step instanceof Step.RestrictLandlock l) {
            byte[] attr = rulesetAttr(l.scoped());
            calls.add(new Call(k, Sys.LANDLOCK_CREATE_RULESET, new Arg.Bytes(attr), num(attr.length), num(0)));
            calls.add(new Call(k, Sys.LANDLOCK_RESTRICT_SELF, num(free), num(0)));
            calls.add(new Call(k, Sys.CLOSE, num(free)));
        } else if (step instanceof Step.InstallSeccomp s) {
            calls.add(new Call(k, Sys.SECCOMP, num(SECCOMP_SET_MODE_FILTER), num(s.flags()),
                    new Arg.Fprog(s.program(), s.instructions())));
        } else {
            throw new IllegalArgumentException("no system calls for step " + step.getClass().getSimpleName());
        }
    }

    private static ByteBuffer little(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** struct mount_attr { u64 attr_set, attr_clr, propagation, userns_fd; }. */
    static byte[] mountAttr(long set) {
        return little(32).putLong(set).array();
    }

    /**
     * struct landlock_ruleset_attr { u64 handled_access_fs, handled_access_net, scoped; } (ABI 6):
     * no access rights handled, so nothing but the scopes is restricted.
     */
    static byte[] rulesetAttr(long scoped) {
        return little(24).putLong(0).putLong(0).putLong(scoped).array();
    }

    /** struct ifreq { char name[16] = "lo"; short flags; … } (40 bytes). */
    static byte[] loopbackUp() {
        ByteBuffer b = little(40);
        b.put("lo".getBytes(StandardCharsets.US_ASCII));
        b.putShort(16, (short) (IFF_UP | IFF_LOOPBACK | IFF_RUNNING));
        return b.array();
    }

    /** struct __user_cap_header_struct { u32 version; int pid; }. */
    static byte[] capHeader() {
        return little(8).putInt(LINUX_CAPABILITY_VERSION_3).putInt(0).array();
    }

    /** Two struct __user_cap_data_struct { u32 effective, permitted, inheritable; }: low then high words. */
    static byte[] capData(long effective, long permitted, long inheritable) {
        return little(24)
                .putInt((int) effective).putInt((int) permitted).putInt((int) inheritable)
                .putInt((int) (effective >>> 32)).putInt((int) (permitted >>> 32)).putInt((int) (inheritable >>> 32))
                .array();
    }

    /**
     * Whether the parent reads call {@code index}'s errno slot: every call before the checkpoint
     * (checked there, in order) and each execve (read once clone returned). Other calls get no
     * copy link: nobody would look.
     */
    boolean reportsErrno(int index) {
        return index < checkpoint || calls.get(index).sys() == Sys.EXECVE;
    }

    /**
     * Whether errno must be cleared after call {@code index}. A failure is reported by the first
     * non-zero slot, so a stale errno in later slots only matters after a failure the step
     * tolerates (EEXIST of a mkdir): only such calls need a reset. Failing execves set their own.
     */
    boolean clearsErrnoAfter(int index) {
        Call call = calls.get(index);
        return index < checkpoint && call.step() >= 0 && !steps.get(call.step()).tolerated().isEmpty();
    }

    /** Who a call belongs to, for messages: the step's description or the protocol phase's. */
    String describe(Call call) {
        return call.step() >= 0 ? steps.get(call.step()).describe() : Phase.of(call.step()).description;
    }
}
