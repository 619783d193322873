package dev.jbox.launch;

import dev.jbox.StartupTimeline;
import dev.jbox.JboxException;
import dev.jbox.linux.Arch;
import dev.jbox.linux.CloneFlags;
import dev.jbox.linux.Errno;
import dev.jbox.linux.Linux;
import dev.jbox.linux.ProcFields;
import dev.jbox.linux.Sys;
import dev.jbox.linux.Syscall;
import dev.jbox.plan.LaunchPlan;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.spec.UserNamespaceMode;

import java.lang.ProcessBuilder.Redirect;
import dev.jbox.spi.ChildProcess;
import dev.jbox.spi.CompositeHooks;
import dev.jbox.spi.LaunchHooks;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.Lock;


/**
 * Starts a sandbox from a plan (DESIGN §2): lowers it to a chain, clones the child with
 * {@code CLONE_VM|CLONE_VFORK|CLONE_PIDFD} into the chain, and runs the protocol (id maps, go,
 * checkpoint, release) on another thread while the cloning thread sleeps until the child execs.
 * A single id mapping is written by the child itself unless a plugin hooks {@code childCreated}.
 */
public final class Launcher {
    private Launcher() {}

    // int clone(int (*fn)(void *), void *stack, int flags, void *arg, pid_t *parent_tid, void *tls, pid_t *child_tid);
    private static final MemorySegment CLONE = Syscall.libcSymbol("clone");

    private static final ExecutorService PROTOCOL = Executors.newCachedThreadPool(new DaemonThreads("jbox-protocol-"));

    /** Launches the plan; returns once the workload runs (exec'd), or throws a JboxException. */
    public static SandboxProcess launch(LaunchPlan plan, SandboxSpec spec, LaunchHooks hooks, String userName) {
        if (Thread.currentThread().isVirtual()) {
            // The chain uses the cloning thread's errno (TLS): clone from a platform thread that stays put.
            return onPlatformThread(() -> launch(plan, spec, hooks, userName));
        }
        // With a terminal the chain replaces stdout/stderr (and stdin) with the sandbox's own pty.
        Stdio opened = spec.tty() ? Stdio.open(spec.stdin(), Redirect.INHERIT, Redirect.INHERIT) : Stdio.open(spec.stdin(), spec.stdout(), spec.stderr());
        Stdio stdio = opened;
        int[] go = Linux.pipe2(Linux.O_CLOEXEC);     // parent → child: [0] child reads, [1] parent writes
        int[] ready = Linux.pipe2(Linux.O_CLOEXEC);  // child → parent: [0] parent reads, [1] child writes
        StartupTimeline.mark("stdio and pipes");
        Protocol protocol = null;
        NativeChain chain = null;
        boolean childEndsClosed = false;
        // The chain's block may be reused once no child runs on it and the protocol is over.
        boolean cloning = false, protocolOver = false;
        try {
            // ids is null for a helper joining a sandbox's user namespace (NamespaceHelper): nothing to map.
            boolean childWritesMaps = plan.ids() != null && plan.ids().mode() == UserNamespaceMode.SINGLE && !hooks.usesChildCreated();
            ChainProgram program = ChainProgram.lower(plan, new ChildFds(go[0], ready[1], stdio.childIn, stdio.childOut, stdio.childErr),
                    caughtSignals(), childWritesMaps);
            StartupTimeline.mark("chain lowered");
            chain = NativeChain.assemble(program, Arch.current());
            StartupTimeline.mark("chain assembled");
            // Without plugins acting at the exit, the mount namespace may outlive the workload a little.
            boolean noExitHooks = hooks == LaunchHooks.NONE || hooks instanceof CompositeHooks c && c.isEmpty();
            protocol = new Protocol(chain, plan.ids(), userName, hooks, ready[0], go[1], noExitHooks);
            Future<Protocol.Released> released = PROTOCOL.submit(protocol);
            StartupTimeline.mark("protocol submitted");

            int flags = plan.cloneFlags() | CloneFlags.CLONE_VM | CloneFlags.CLONE_VFORK | CloneFlags.CLONE_PIDFD | CloneFlags.SIGCHLD;
            Lock guard = ProcSelfGuard.lockFor(plan, childWritesMaps);
            if (guard != null) guard.lock();
            int pid;
            try {
                cloning = true;
                pid = Syscall.callIntOrErrno(CLONE, NativeChain.setcontext().address(), chain.cloneStackTop.address(),
                        flags, chain.first.address(), chain.pidfdOut.address(), 0, 0);
            } finally {
                if (guard != null) guard.unlock();
            }
            StartupTimeline.mark("clone returned: the child exec'd");
            // The child has exec'd or died: its copies of these are gone, and ours must go so the
            // protocol thread sees EOF if the child died early.
            Linux.close(go[0]);
            Linux.close(ready[1]);
            childEndsClosed = true;  // never close a number twice: another thread may own it by now
            stdio.close();
            if (pid < 0) {
                released.cancel(true);
                throw UserNamespaceDiagnosis.cloneFailed(-pid);
            }
            Protocol.Released child;
            try {
                child = awaitProtocol(released);
            } finally {
                protocolOver = true;
            }
            ExecFailure.check(chain);
            if (child.terminal() >= 0) stdio = stdio.withTerminal(child.terminal());
            SandboxProcess process = new SandboxProcess(child.process().pid(), child.process().pidfd(), child.mountNamespace(), stdio, hooks, spec.stopTimeout());
            protocol.handOver();
            StartupTimeline.mark("launched");
            return process;
        } catch (RuntimeException | Error e) {
            closeQuietly(stdio);
            throw e;
        } catch (Throwable t) {
            closeQuietly(stdio);
            throw new JboxException("launching the sandbox: " + t, null, JboxException.EXIT_JBOX, t);
        } finally {
            if (protocol != null) protocol.closeParentEnds();
            else {
                Linux.close(go[1]);
                Linux.close(ready[0]);
            }
            if (!childEndsClosed) {
                Linux.close(go[0]);
                Linux.close(ready[1]);
            }
            // Otherwise the block is left to the GC: a protocol thread may still be reading it.
            if (chain != null && (!cloning || protocolOver)) chain.release();
        }
    }

    private static Protocol.Released awaitProtocol(Future<Protocol.Released> released) throws InterruptedException {
        try {
            return released.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new JboxException("launching the sandbox: " + e.getCause(), null, JboxException.EXIT_JBOX, e.getCause());
        }
    }

    private static void closeQuietly(Stdio stdio) {
        try {
            stdio.closeAll();
        } catch (IOException ignored) {
            // Nothing more to release.
        }
    }

    private static <T> T onPlatformThread(Callable<T> task) {
        try {
            return PROTOCOL.submit(task).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new JboxException("launching the sandbox: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JboxException("launching the sandbox: interrupted");
        }
    }

    /**
     * The signals this JVM has handlers for (SigCgt in /proc/self/status), read per launch: the
     * application or a native library may install a handler at any time.
     */
    static long caughtSignals() {
        try {
            return Long.parseUnsignedLong(ProcFields.field("/proc/self/status", "SigCgt:").orElseThrow(), 16);
        } catch (java.util.NoSuchElementException | NumberFormatException e) {
            return -1L & ~((1L << 8) | (1L << 18));  // reset every signal but SIGKILL (9) and SIGSTOP (19)
        }
    }

    /** Reaps a child that will not run the workload, so it leaves no zombie. */
    static void reap(int pidfd) {
        try {
            Linux.waitid(pidfd);
        } catch (dev.jbox.linux.SyscallException alreadyGone) {
            // ECHILD: someone reaped it already; nothing is left behind either way.
        }
    }
}
