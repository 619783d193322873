package dev.jbox.state;

import dev.jbox.JboxException;
import dev.jbox.linux.Linux;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.spi.ExitStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Pid-reuse safety and the stop/kill/rm rules, against a fake /proc and a signaller that only records. */
class SandboxesTest {
    record Sent(long pid, long startTime, int signal) {}

    @TempDir Path proc;
    @TempDir Path runtime;
    StateStore store;
    final List<Sent> sent = new ArrayList<>();
    Sandboxes sandboxes;

    @BeforeEach
    void setUp() {
        store = StateStore.open(runtime.resolve("jbox"), Linux.getuid());
        ProcFs fakeProc = new ProcFs(proc);
        // Records what it is asked to send; like the real one, it checks the start time first.
        sandboxes = new Sandboxes(store, fakeProc, (pid, start, signal) -> {
            if (!fakeProc.isRunning(pid, start)) return false;
            sent.add(new Sent(pid, start, signal));
            return true;
        }, new Sandboxes.Waits(Duration.ofMillis(100), Duration.ofMillis(100)));
    }

    SandboxState running(String id, String name, long pid, long startTime) {
        SandboxState s = SandboxState.of(id, SandboxSpec.builder().command("sleep", "1000").name(name).build(), Instant.now())
                .withMonitor(1, 1).running(pid, startTime, Instant.now());
        store.create(s);
        return s;
    }

    @Test
    void aReusedPidIsAnExitedSandboxAndIsNeverSignalled() throws Exception {
        running("0123456789ab", "web", 4242, 1000);
        ProcFsTest.fake(proc, 4242, 'S', 2000);  // pid 4242 now belongs to a process started later
        SandboxView web = sandboxes.find("web");
        assertEquals(SandboxState.Status.EXITED, web.status());
        assertTrue(web.exitUnknown());
        JboxException e = assertThrows(JboxException.class, () -> sandboxes.kill(web, 9));
        assertTrue(e.getMessage().contains("is not running"), e.getMessage());
        assertFalse(sandboxes.stop(web, Duration.ofSeconds(1)));
        sandboxes.remove(web, false);  // not running: removable without -f
        assertEquals(List.of(), sent, "nothing may be sent to the pid's new owner");
        assertFalse(Files.exists(store.dir("0123456789ab")));
    }

    @Test
    void aMatchingStartTimeIsSignalled() throws Exception {
        running("0123456789ab", null, 4242, 1000);
        ProcFsTest.fake(proc, 4242, 'S', 1000);
        SandboxView s = sandboxes.find("0123");  // an unambiguous prefix
        assertTrue(s.isRunning());
        sandboxes.kill(s, 10);
        assertEquals(List.of(new Sent(4242, 1000, 10)), sent);
    }

    @Test
    void aRunningSandboxIsRemovedOnlyWithForce() throws Exception {
        running("0123456789ab", "db", 4242, 1000);
        ProcFsTest.fake(proc, 4242, 'S', 1000);
        JboxException e = assertThrows(JboxException.class, () -> sandboxes.remove(sandboxes.find("db"), false));
        assertEquals("sandbox db (0123456789ab) is running (stop it first with jbox stop db, or use jbox rm -f db)", e.userMessage());
        assertTrue(Files.exists(store.dir("0123456789ab")));
        assertEquals(List.of(), sent);
    }

    @Test
    void stopEscalatesToKillWhenTermIsIgnored() throws Exception {
        running("0123456789ab", "db", 4242, 1000);
        ProcFsTest.fake(proc, 4242, 'S', 1000);  // the fake process never exits
        assertThrows(JboxException.class, () -> sandboxes.stop(sandboxes.find("db"), Duration.ofMillis(50)));
        assertEquals(List.of(new Sent(4242, 1000, 15), new Sent(4242, 1000, 9)), sent);
    }

    @Test
    void unknownAndAmbiguousReferences() {
        running("0123456789ab", "a", 1, 1);
        running("0123ffffffff", "b", 2, 2);
        assertEquals("no such sandbox: nope (see jbox ps -a)", assertThrows(JboxException.class, () -> sandboxes.find("nope")).userMessage());
        assertTrue(assertThrows(JboxException.class, () -> sandboxes.find("0123")).getMessage().contains("matches several sandboxes"));
        assertEquals("0123ffffffff", sandboxes.find("0123f").id());
    }

    @Test
    void recordedExitsAreShownAsRecorded() {
        SandboxState s = running("0123456789ab", "x", 4242, 1000);
        store.update(s.id(), r -> r.exited(ExitStatus.killed(9, false), Instant.now()));
        SandboxView v = sandboxes.find("x");
        assertEquals(SandboxState.Status.EXITED, v.status());
        assertEquals(137, v.state().exitCode());
        assertEquals(9, v.state().signal());
        assertFalse(v.exitUnknown());
    }
}
