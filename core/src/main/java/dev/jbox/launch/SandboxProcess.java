package dev.jbox.launch;

import dev.jbox.linux.Errno;
import dev.jbox.linux.Linux;
import dev.jbox.linux.Sys;
import dev.jbox.linux.Syscall;
import dev.jbox.linux.SyscallException;
import dev.jbox.spi.ExitStatus;
import dev.jbox.spi.LaunchHooks;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * A running sandbox, as a {@link Process}: its workload is pid 1 of the sandbox and a direct child
 * of this JVM. Signals go through a pidfd, so a recycled pid is never hit. A reaper thread waits
 * for the exit, runs the plugins' exit hooks and cleanup, then completes {@link #onExit()}.
 * Safe to use from many threads.
 */
public final class SandboxProcess extends Process {
    private static final int SIGTERM = 15, SIGKILL = 9;
    private static final int CLD_EXITED = 1, CLD_DUMPED = 3;

    private final int pid;
    private final Stdio stdio;
    private final LaunchHooks hooks;
    private final Duration stopTimeout;
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    private final Object pidfdLock = new Object();
    private int pidfd;  // -1 once reaped and closed; guarded by pidfdLock

    SandboxProcess(int pid, int pidfd, Stdio stdio, LaunchHooks hooks, Duration stopTimeout) {
        this.pid = pid;
        this.pidfd = pidfd;
        this.stdio = stdio;
        this.hooks = hooks;
        this.stopTimeout = stopTimeout;
        Thread.ofPlatform().daemon().name("jbox-reaper-" + pid).stackSize(256 * 1024).start(this::reap);
    }

    private void reap() {
        ExitStatus status;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(128);
            long r;
            do {
                r = Syscall.callOrErrno(Sys.WAITID, Linux.P_PIDFD, pidfd, info.address(), Linux.WEXITED, 0);
            } while (r == -Errno.EINTR.number);
            if (r < 0) {
                exit.completeExceptionally(new SyscallException("waitid", "pid " + pid, (int) -r));
                return;
            }
            // siginfo_t for SIGCHLD: si_code at 8, si_status at 24.
            int code = info.get(JAVA_INT, 8), value = info.get(JAVA_INT, 24);
            status = code == CLD_EXITED ? ExitStatus.exited(value) : ExitStatus.killed(value, code == CLD_DUMPED);
        }
        synchronized (pidfdLock) {
            Linux.close(pidfd);
            pidfd = -1;
        }
        try {
            hooks.exited(status);
        } finally {
            hooks.close();
            exit.complete(status);
        }
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public OutputStream getOutputStream() {
        return stdio.parentIn;
    }

    @Override
    public InputStream getInputStream() {
        return stdio.parentOut;
    }

    @Override
    public InputStream getErrorStream() {
        return stdio.parentErr;
    }

    @Override
    public int waitFor() throws InterruptedException {
        return exitStatus().shellStatus();
    }

    @Override
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            exit.get(timeout, unit);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for sandbox " + pid, e.getCause());
        }
    }

    /** Blocks until the workload ends; its exit code or the signal that killed it. */
    public ExitStatus exitStatus() throws InterruptedException {
        try {
            return exit.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for sandbox " + pid, e.getCause());
        }
    }

    @Override
    public int exitValue() {
        ExitStatus s = exit.getNow(null);
        if (s == null) throw new IllegalThreadStateException("sandbox " + pid + " is still running");
        return s.shellStatus();
    }

    @Override
    public boolean isAlive() {
        return !exit.isDone();
    }

    @Override
    public CompletableFuture<Process> onExit() {
        return exit.thenApply(s -> this);
    }

    @Override
    public boolean supportsNormalTermination() {
        return true;
    }

    @Override
    public void destroy() {
        signal(SIGTERM);
    }

    @Override
    public Process destroyForcibly() {
        signal(SIGKILL);
        return this;
    }

    /** Sends {@code signal} to the workload; false if it has already exited. */
    public boolean signal(int signal) {
        synchronized (pidfdLock) {
            return pidfd >= 0 && Linux.pidfdSendSignal(pidfd, signal);
        }
    }

    /**
     * Asks the workload to stop: {@code signal}, then SIGKILL after the spec's stop timeout (pid 1
     * ignores signals it has no handler for). Returns at once; {@link #onExit()} tells the end.
     */
    public void stop(int signal) {
        if (!signal(signal)) return;
        CompletableFuture.delayedExecutor(stopTimeout.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (isAlive()) signal(SIGKILL);
        });
    }

    @Override
    public String toString() {
        return "SandboxProcess[pid=" + pid + (isAlive() ? ", running" : ", exited " + exit.getNow(null)) + "]";
    }
}
