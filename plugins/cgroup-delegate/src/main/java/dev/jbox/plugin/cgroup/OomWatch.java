package dev.jbox.plugin.cgroup;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Follows {@code oom_kill} in a cgroup's {@code memory.events} while the sandbox runs. systemd removes
 * a scope's cgroup as soon as its last process exits, often before jbox can look, so the count is
 * taken when the kernel announces the change (an inotify event, sent when the OOM killer strikes,
 * before the victim has exited) and kept after the directory is gone.
 */
final class OomWatch implements AutoCloseable {
    private static final String FILE = "memory.events";

    private final CgroupReader reader;
    private final WatchService watcher;
    private final AtomicLong kills = new AtomicLong();

    private OomWatch(CgroupReader reader, WatchService watcher) {
        this.reader = reader;
        this.watcher = watcher;
    }

    static OomWatch start(CgroupFs fs, Path cgroupDir) throws IOException {
        WatchService watcher = cgroupDir.getFileSystem().newWatchService();
        OomWatch watch = new OomWatch(new CgroupReader(fs, cgroupDir), watcher);
        try {
            cgroupDir.register(watcher, StandardWatchEventKinds.ENTRY_MODIFY);
        } catch (IOException | RuntimeException e) {
            watcher.close();
            throw e;
        }
        watch.refresh();
        Thread.ofVirtual().name("jbox-oom-watch").start(watch::follow);
        return watch;
    }

    private void follow() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == StandardWatchEventKinds.OVERFLOW || FILE.equals(String.valueOf(event.context()))) refresh();
                }
                if (!key.reset()) return; // the cgroup is gone
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // closed: nothing more to follow
        }
    }

    private void refresh() {
        reader.oomKills().ifPresent(n -> kills.accumulateAndGet(n, Math::max));
    }

    /** The highest {@code oom_kill} the watch has seen so far. */
    long seen() {
        return kills.get();
    }

    /** The highest {@code oom_kill} seen, reading once more if the cgroup is still there. */
    long kills() {
        refresh();
        return kills.get();
    }

    @Override
    public void close() {
        try {
            watcher.close();
        } catch (IOException ignored) {
            // Only an inotify fd to release.
        }
    }
}
