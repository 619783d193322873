package dev.jbox.plugin.cgroup;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The OOM count survives the cgroup directory, as when systemd removes an emptied scope. */
class OomWatchTest {
    @TempDir Path tmp;

    @Test
    void countSeenWhenTheKernelAnnouncesItOutlivesTheDirectory() throws Exception {
        Path scope = tmp.resolve("jbox-x.scope");
        Files.createDirectories(scope);
        Files.writeString(scope.resolve("memory.events"), "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n");
        try (OomWatch watch = OomWatch.start(CgroupFs.KERNEL, scope)) {
            assertEquals(0, watch.kills());
            Files.writeString(scope.resolve("memory.events"), "low 0\nhigh 0\nmax 7\noom 2\noom_kill 2\n");
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (watch.seen() < 2 && System.nanoTime() < deadline) Thread.sleep(10);
            assertEquals(2, watch.seen(), "the inotify event should have been followed by a read");
            Files.delete(scope.resolve("memory.events"));
            Files.delete(scope);
            assertEquals(2, watch.kills());
        }
    }

    @Test
    void noKillsNoCount() throws Exception {
        Path scope = Files.createDirectories(tmp.resolve("s"));
        Files.writeString(scope.resolve("memory.events"), "oom_kill 0\n");
        try (OomWatch watch = OomWatch.start(CgroupFs.KERNEL, scope)) {
            Files.writeString(scope.resolve("memory.events"), "max 3\noom_kill 0\n");
            assertEquals(0, watch.kills());
        }
    }
}
