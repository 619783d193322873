package dev.jbox.plugin.net;

import dev.jbox.JboxException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A network helper started by jbox: stdin is a pipe only jbox writes to (slirp4netns's exit-fd),
 * stdout is the readiness channel (the first byte means ready, EOF before it means failed), and
 * stderr goes to a log file that error messages quote.
 *
 * <p>Each helper is started by a keeper thread of its own, which then waits for it to exit. That
 * thread is the helper's parent for the kernel, so a parent-death signal set in the helper
 * ({@code setpriv --pdeathsig}) fires when jbox dies and never earlier: a pooled thread could end
 * while the helper still runs. The keeper also drains stdout, so the helper never blocks on it.
 */
final class HelperProcess {
    private static final long KEEPER_STACK = 128 * 1024;
    private static final Duration STOP_GRACE = Duration.ofSeconds(2);

    private final String program;
    private final Process process;
    private final Path log;

    private HelperProcess(String program, Process process, Path log) {
        this.program = program;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code argv} and returns once it reported ready; kills it and throws otherwise. */
    static HelperProcess startAndAwaitReady(String program, List<String> argv, Path log, Duration timeout) {
        ProcessBuilder builder = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .redirectError(log.toFile());
        CompletableFuture<Process> started = new CompletableFuture<>();
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("jbox-" + program).stackSize(KEEPER_STACK)
                .start(() -> keep(builder, started, ready));
        HelperProcess helper = new HelperProcess(program, await(started, program), log);
        helper.awaitReady(ready, timeout);
        return helper;
    }

    private static void keep(ProcessBuilder builder, CompletableFuture<Process> started, CompletableFuture<Boolean> ready) {
        Process p;
        try {
            p = builder.start();
        } catch (IOException | RuntimeException e) {
            started.completeExceptionally(e);
            return;
        }
        started.complete(p);
        try (InputStream out = p.getInputStream()) {
            ready.complete(out.read() >= 0);
            out.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            ready.complete(false);
        }
        while (true) {
            try {
                p.waitFor();
                return;
            } catch (InterruptedException e) {
                // This thread must outlive the helper; nobody interrupts it on purpose.
            }
        }
    }

    private static Process await(CompletableFuture<Process> started, String program) {
        try {
            return started.get();
        } catch (ExecutionException e) {
            throw new JboxException("starting " + program + ": " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JboxException("starting " + program + ": interrupted");
        }
    }

    private void awaitReady(CompletableFuture<Boolean> ready, Duration timeout) {
        String failure;
        try {
            if (ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS)) return;
            failure = exitDescription();
        } catch (TimeoutException e) {
            failure = "not ready after " + timeout.toMillis() + " ms";
        } catch (ExecutionException | InterruptedException e) {
            failure = e.toString();  // Not expected: the keeper completes normally.
        }
        stop();
        throw new JboxException("attaching " + program + " to the sandbox: " + failure + logTail());
    }

    private String exitDescription() {
        try {
            if (process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) return "it exited with status " + process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "it closed its ready channel without reporting ready";
    }

    /** The helper's last words, for the error message. */
    private String logTail() {
        List<String> lines = HelperLog.significantLines(log);
        return lines.isEmpty() ? "" : ": " + String.join("; ", lines.subList(Math.max(0, lines.size() - 4), lines.size()));
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Stops the helper and waits until it is gone: closing stdin is slirp4netns's exit-fd, SIGTERM
     * ends pasta (and slirp4netns if it missed the first), SIGKILL after a grace period.
     */
    void stop() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // Already closed: the helper sees EOF either way.
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
