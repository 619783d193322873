package dev.jbox.launch;

import dev.jbox.linux.Linux;
import dev.jbox.linux.SyscallException;
import dev.jbox.linux.Terminal;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.spi.ExitStatus;
import dev.jbox.spi.LaunchHooks;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A running sandbox, as a {@link Process}: its workload is pid 1 of the sandbox and a direct child
 * of this JVM. Signals go through a pidfd, so a recycled pid is never hit. A reaper thread waits
 * for the exit, runs the plugins' exit hooks and cleanup, then completes {@link #onExit()}.
 * Safe to use from many threads.
 */
public final class SandboxProcess extends Process {
    private static final int SIGTERM = 15, SIGKILL = 9;
    /** Reapers are reused: starting a platform thread per sandbox cost ~60 µs of every launch. */
    private static final ExecutorService REAPERS = Executors.newCachedThreadPool(new DaemonThreads("jbox-reaper-"));

    private final int pid;
    /**
     * An fd holding the sandbox's mount namespace, or -1. Tearing it down (unmounting every mount,
     * then an RCU grace period: ~0.1 ms) is part of the workload's exit unless someone else holds
     * it; held here, it happens when this fd is closed, just after the exit is reported. Only
     * without plugin hooks: theirs may wait for the namespace to go (a FUSE helper's mount).
     */
    private final int mountNamespace;
    private final Stdio stdio;
    private final LaunchHooks hooks;
    private final Duration stopTimeout;
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    private volatile String exitNote;
    private final Object pidfdLock = new Object();
    private int pidfd;  // -1 once reaped and closed; guarded by pidfdLock

    SandboxProcess(int pid, int pidfd, int mountNamespace, Stdio stdio, LaunchHooks hooks, Duration stopTimeout) {
        this.pid = pid;
        this.pidfd = pidfd;
        this.mountNamespace = mountNamespace;
        this.stdio = stdio;
        this.hooks = hooks;
        this.stopTimeout = stopTimeout;
        REAPERS.execute(this::reap);
    }

    private void reap() {
        ExitStatus status;
        try {
            Linux.ChildEnd end = Linux.waitid(pidfd);
            status = end.code() == Linux.ChildEnd.CLD_EXITED ? ExitStatus.exited(end.status())
                    : ExitStatus.killed(end.status(), end.code() == Linux.ChildEnd.CLD_DUMPED);
        } catch (SyscallException e) {
            Linux.close(mountNamespace);
            exit.completeExceptionally(e);
            return;
        }
        synchronized (pidfdLock) {
            Linux.close(pidfd);
            pidfd = -1;
        }
        try {
            hooks.exited(status);
            exitNote = hooks.exitNote().orElse(null);
        } finally {
            hooks.close();
            exit.complete(status);
            Linux.close(mountNamespace);
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

    /** What plugins say about the exit, once it happened: "killed: out of memory, limit 64 MiB". */
    public java.util.Optional<String> exitNote() {
        return exit.isDone() ? java.util.Optional.ofNullable(exitNote) : java.util.Optional.empty();
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

    /** Whether the workload runs on a pseudo-terminal ({@link SandboxSpec#tty()}). */
    public boolean hasTerminal() {
        return stdio.terminal >= 0;
    }

    /** Tells the workload's terminal its new size (it gets SIGWINCH). */
    public void resizeTerminal(Terminal.Size size) {
        if (!hasTerminal()) throw new IllegalStateException("sandbox " + pid + " has no terminal");
        Terminal.resize(stdio.terminal, size);
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
