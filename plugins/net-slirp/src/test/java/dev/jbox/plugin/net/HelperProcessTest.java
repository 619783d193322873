package dev.jbox.plugin.net;

import dev.jbox.JboxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The readiness protocol and stopping, with /bin/sh standing in for a helper. */
class HelperProcessTest {
    static HelperProcess start(Path dir, String script, Duration timeout) {
        return HelperProcess.startAndAwaitReady("helper", List.of("/bin/sh", "-c", script), dir.resolve("helper.log"), timeout);
    }

    @Test
    void readyOnTheFirstByteAndStoppedOnRequest(@TempDir Path dir) {
        HelperProcess h = start(dir, "printf 1; exec sleep 100", Duration.ofSeconds(10));
        assertTrue(h.isAlive());
        h.stop();
        assertFalse(h.isAlive());
    }

    @Test
    void closingStdinIsTheExitSignal(@TempDir Path dir) throws Exception {
        // What slirp4netns does with --exit-fd=0: leave when the pipe's write end (jbox's) closes.
        HelperProcess h = start(dir, "printf 1; read -r line; exit 0", Duration.ofSeconds(10));
        ProcessHandle p = ProcessHandle.of(h.pid()).orElseThrow();
        h.stop();
        assertFalse(p.isAlive());
    }

    @Test
    void exitingBeforeReadyQuotesTheLog(@TempDir Path dir) {
        JboxException e = assertThrows(JboxException.class,
                () -> start(dir, "echo 'WARNING: Support for seccomp is experimental' >&2; echo 'open(\"/dev/net/tun\"): Permission denied' >&2; exit 3",
                        Duration.ofSeconds(10)));
        assertEquals(125, e.exitCode());
        assertTrue(e.getMessage().startsWith("attaching helper to the sandbox: it exited with status 3"), e.getMessage());
        assertTrue(e.getMessage().endsWith(": open(\"/dev/net/tun\"): Permission denied"), e.getMessage());
    }

    @Test
    void aHelperThatNeverGetsReadyIsKilledAfterTheTimeout(@TempDir Path dir) throws Exception {
        long before = NetTesting.helperChildren().size() + ProcessHandle.current().children().count();
        JboxException e = assertThrows(JboxException.class, () -> start(dir, "exec sleep 100", Duration.ofMillis(300)));
        assertTrue(e.getMessage().contains("not ready after"), e.getMessage());
        assertEquals(before, NetTesting.helperChildren().size() + ProcessHandle.current().children().count(), "the helper was killed");
    }

    @Test
    void aMissingProgramIsNamed(@TempDir Path dir) {
        JboxException e = assertThrows(JboxException.class, () -> HelperProcess.startAndAwaitReady("nosuch",
                List.of(dir.resolve("nosuch").toString()), dir.resolve("log"), Duration.ofSeconds(1)));
        assertTrue(e.getMessage().startsWith("starting nosuch"), e.getMessage());
    }
}
