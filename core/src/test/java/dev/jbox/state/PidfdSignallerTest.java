package dev.jbox.state;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The real signaller against a real process (a {@code sleep} this test starts). */
class PidfdSignallerTest {
    @Test
    void signalsOnlyTheProcessWithTheRecordedStartTime() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "60").start();
        try {
            long start = ProcFs.LIVE.startTime(sleep.pid());
            PidfdSignaller signaller = new PidfdSignaller(ProcFs.LIVE);
            assertFalse(signaller.send(sleep.pid(), start + 1, 15), "a different start time is a different process");
            assertFalse(sleep.waitFor(300, TimeUnit.MILLISECONDS), "it must still run");
            assertTrue(signaller.send(sleep.pid(), start, 15));
            assertTrue(sleep.waitFor(10, TimeUnit.SECONDS));
            assertEquals(128 + 15, sleep.exitValue());
            assertFalse(signaller.send(sleep.pid(), start, 15), "gone");
        } finally {
            sleep.destroyForcibly();
        }
    }
}
