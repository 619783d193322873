package dev.jbox.launch;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Platform daemon threads named {@code prefix0, prefix1, …} with a small stack, for the launcher's
 * pools. Not {@code Thread.ofPlatform().name(prefix, 0).factory()}: its counter is a VarHandle,
 * whose first use spins method-handle classes, ~3 ms of a cold {@code jbox run} (docs/bench.md).
 */
final class DaemonThreads implements ThreadFactory {
    private static final long STACK = 256 * 1024;

    private final String prefix;
    private final AtomicInteger next = new AtomicInteger();

    DaemonThreads(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread t = new Thread(null, task, prefix + next.getAndIncrement(), STACK);
        t.setDaemon(true);
        return t;
    }
}
