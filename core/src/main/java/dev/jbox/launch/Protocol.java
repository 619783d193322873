package dev.jbox.launch;

import dev.jbox.JboxException;
import dev.jbox.linux.Errno;
import dev.jbox.linux.Linux;
import dev.jbox.linux.NativeBytes;
import dev.jbox.linux.ProcFields;
import dev.jbox.plan.IdMapping;
import dev.jbox.spi.ChildProcess;
import dev.jbox.spi.LaunchHooks;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The parent's half of the launch protocol, run on its own thread while the cloning thread sleeps
 * in clone: wait for the child's hello, write the id maps, let plugins place it, release it into
 * setup (all skipped when the child writes its own maps), check every step's errno at the
 * checkpoint, let plugins attach, release it into execve.
 * On any failure the child is killed, so the cloning thread wakes and nothing is exec'd.
 */
final class Protocol implements Callable<Protocol.Released> {
    /**
     * The child, released into execve; {@code terminal} is the master of its pty, or -1;
     * {@code mountNamespace} an fd holding its mount namespace (see {@link SandboxProcess}), or -1.
     */
    record Released(ChildProcess process, int terminal, int mountNamespace) {}

    private static final int SIGKILL = 9;
    /** Pipe writes up to PIPE_BUF are atomic: the gate arrives whole or not at all. */
    static final int PIPE_BUF = 4096;

    private final NativeChain chain;
    private final IdMapping ids;
    private final String userName;
    private final LaunchHooks hooks;
    private final int readyRead;
    private final int goWrite;
    private final boolean holdMountNamespace;
    private volatile int pidfd = -1;
    private volatile int terminal = -1;
    private volatile int mountNamespace = -1;
    private volatile boolean handedOver;

    Protocol(NativeChain chain, IdMapping ids, String userName, LaunchHooks hooks, int readyRead, int goWrite, boolean holdMountNamespace) {
        this.chain = chain;
        this.ids = ids;
        this.userName = userName;
        this.hooks = hooks;
        this.readyRead = readyRead;
        this.goWrite = goWrite;
        this.holdMountNamespace = holdMountNamespace;
        if (ChainProgram.gateSize(chain.program.exec()) > PIPE_BUF) {
            throw new JboxException("the command's PATH search list is longer than " + PIPE_BUF + " bytes", "shorten PATH or give the command's full path");
        }
    }

    @Override
    public Released call() throws Exception {
        boolean childWritesMaps = chain.program.childWritesMaps();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment one = arena.allocate(1);
            // The child's first message: its hello, or, when it writes its own id maps, the checkpoint.
            boolean alive = Linux.read(readyRead, one, 1) == 1;
            pidfd = chain.pidfd();  // stored by clone before the child ran; -1 if clone failed
            if (pidfd < 0 || !alive && !childWritesMaps) throw new JboxException("the sandbox's first process ended before it started");
            try {
                ChildProcess child = new ChildProcess(pidOf(pidfd), pidfd);
                if (!childWritesMaps) {
                    if (ids != null) IdMapper.map(child.pid(), ids, userName);  // null: a helper joining a sandbox's user namespace
                    hooks.childCreated(child);
                    Linux.writeFully(goWrite, one, "the sandbox's go pipe");
                    alive = Linux.read(readyRead, one, 1) == 1;
                }
                checkSteps();
                if (!alive) throw new JboxException("the sandbox's first process ended during setup", "run jbox doctor");
                terminal = takeTerminal();
                hooks.beforeRelease(child);
                Linux.writeFully(goWrite, NativeBytes.copyOf(arena, ChainProgram.gateBytes(chain.program.exec())), "the sandbox's go pipe");
                if (holdMountNamespace) mountNamespace = openMountNamespace(child.pid());  // while the child execs
                return new Released(child, terminal, mountNamespace);
            } catch (Exception | Error e) {
                Linux.pidfdSendSignal(pidfd, SIGKILL);
                throw e;
            }
        }
    }

    /** Throws for the first call whose errno its step does not tolerate. */
    private void checkSteps() {
        List<Call> calls = chain.program.calls();
        for (int i = 0; i < chain.program.checkpoint(); i++) {
            Call call = calls.get(i);
            int errno = chain.errnoOf(i);
            if (errno == 0) continue;
            if (call.step() >= 0 && chain.program.steps().get(call.step()).tolerated().contains(Errno.of(errno))) continue;
            throw StepFailure.of(chain.program.describe(call), call.sys().callName(), errno);
        }
    }

    /** The pty master the chain opened inside the sandbox, copied out of the child (or -1). */
    private int takeTerminal() {
        boolean opened = chain.program.steps().stream().anyMatch(s -> s instanceof dev.jbox.plan.Step.OpenTerminal);
        return opened ? (int) dev.jbox.linux.Syscall.call(dev.jbox.linux.Sys.PIDFD_GETFD, "the sandbox's terminal", pidfd, ChildFds.TERMINAL, 0) : -1;
    }

    /**
     * An fd of the child's mount namespace, or -1 if it is gone already (the workload exited: a
     * short one often has, and an exception would cost that launch ~1 ms cold).
     */
    private static int openMountNamespace(int pid) {
        return Math.max(-1, Linux.openatOrErrno(Linux.AT_FDCWD, "/proc/" + pid + "/ns/mnt", Linux.O_RDONLY | Linux.O_CLOEXEC, 0));
    }

    /** The pid behind a pidfd, from /proc/self/fdinfo. */
    static int pidOf(int pidfd) throws IOException {
        String path = "/proc/self/fdinfo/" + pidfd;
        return Integer.parseInt(ProcFields.field(path, "Pid:").orElseThrow(() -> new IOException("no Pid in " + path)));
    }

    /** The child now belongs to a SandboxProcess. */
    void handOver() {
        handedOver = true;
    }

    /** Closes the parent's pipe ends and, unless handed over, kills, reaps and releases the child. */
    void closeParentEnds() {
        Linux.close(goWrite);
        Linux.close(readyRead);
        int fd = pidfd;
        if (!handedOver && fd >= 0) {
            Linux.pidfdSendSignal(fd, SIGKILL);
            Launcher.reap(fd);
            Linux.close(fd);
            Linux.close(terminal);
            Linux.close(mountNamespace);
        }
    }

}
