package dev.jbox.plugin.net;

import dev.jbox.JboxException;
import dev.jbox.spi.ChildProcess;
import dev.jbox.spi.LaunchHooks;

import java.io.IOException;
import java.time.Duration;

/**
 * One sandbox's helper: started at the checkpoint, when the sandbox's network namespace exists and
 * the workload is not released yet; ready (and its ports published) before this hook returns;
 * stopped, with its files, on every path.
 */
final class NetworkHooks implements LaunchHooks {
    static final Duration READY_TIMEOUT = Duration.ofSeconds(10);

    private final Backend backend;
    private final Attachment attachment;
    private final SandboxNetDir dir;
    private HelperProcess helper;  // guarded by this
    private boolean closed;        // guarded by this

    NetworkHooks(Backend backend, Attachment attachment, SandboxNetDir dir) {
        this.backend = backend;
        this.attachment = attachment;
        this.dir = dir;
    }

    @Override
    public synchronized void beforeRelease(ChildProcess child) throws IOException {
        if (closed) throw new IllegalStateException("network hooks already closed");
        helper = HelperProcess.startAndAwaitReady(backend.program(), backend.command(child.pid(), attachment),
                attachment.log(backend), READY_TIMEOUT);
        if (!helper.isAlive()) throw new JboxException(backend.program() + " exited right after it reported ready");
        backend.afterReady(attachment);
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (helper != null) helper.stop();
        dir.delete();
    }
}
