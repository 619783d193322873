package dev.jbox.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class ProcFsTest {
    /** A /proc/PID/stat line with {@code state} and {@code startTime} in fields 3 and 22. */
    static String stat(long pid, String comm, char state, long startTime) {
        return pid + " (" + comm + ") " + state + " 1 " + pid + " " + pid + " 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 " + startTime
                + " 2445312 200 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
    }

    static void fake(Path proc, long pid, char state, long startTime) throws Exception {
        Files.createDirectories(proc.resolve(Long.toString(pid)));
        Files.writeString(proc.resolve(pid + "/stat"), stat(pid, "sleep", state, startTime));
    }

    @Test
    void fieldsAreCountedFromTheLastParenthesis() {
        ProcFs.Stat s = ProcFs.parseStat(stat(42, "evil) R 1 2 (name", 'S', 987654));
        assertEquals('S', s.state());
        assertEquals(987654, s.startTime());
    }

    @Test
    void readsTheRealProcForThisJvm() {
        long self = ProcessHandle.current().pid();
        ProcFs.Stat s = ProcFs.LIVE.stat(self).orElseThrow();
        assertTrue(s.startTime() > 0);
        assertTrue(ProcFs.LIVE.isRunning(self, s.startTime()));
        assertFalse(ProcFs.LIVE.isRunning(self, s.startTime() + 1), "another start time is another process");
    }

    @Test
    void zombiesMissingPidsAndUnknownStartTimesAreNotRunning(@TempDir Path proc) throws Exception {
        ProcFs fake = new ProcFs(proc);
        fake(proc, 100, 'S', 5000);
        fake(proc, 101, 'Z', 6000);
        assertTrue(fake.isRunning(100, 5000));
        assertFalse(fake.isRunning(100, 5001), "pid reused");
        assertFalse(fake.isRunning(101, 6000), "zombie: exited, only not reaped");
        assertFalse(fake.isRunning(102, 7000), "no such pid");
        assertFalse(fake.isRunning(100, 0), "an unknown start time never matches");
        assertEquals(0, fake.startTime(101));
        assertEquals(5000, fake.startTime(100));
    }
}
