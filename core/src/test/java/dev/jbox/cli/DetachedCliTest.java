package dev.jbox.cli;

import dev.jbox.linux.Linux;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.spi.ExitStatus;
import dev.jbox.state.Json;
import dev.jbox.state.PidfdSignaller;
import dev.jbox.state.ProcFs;
import dev.jbox.state.SandboxState;
import dev.jbox.state.Sandboxes;
import dev.jbox.state.StateStore;
import dev.jbox.testing.Rootless;
import dev.jbox.testing.TestRootfs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code jbox run -d} and the commands on detached sandboxes, as users run them: separate JVMs
 * (jbox, and the monitor it leaves behind), real sandboxes, each test with its own
 * XDG_RUNTIME_DIR. Run as an unprivileged user.
 */
class DetachedCliTest {
    static Path rootfs;

    @TempDir Path xdg;

    @BeforeAll
    static void setUp() {
        Rootless.assumeUnprivileged();
        rootfs = TestRootfs.shared();
    }

    /** Whatever a test left running is killed, so no monitor outlives the build. */
    @AfterEach
    void removeAll() {
        if (!Files.isDirectory(xdg.resolve("jbox"))) return;
        Sandboxes sandboxes = sandboxes();
        sandboxes.list().forEach(s -> sandboxes.remove(s, true));
    }

    Sandboxes sandboxes() {
        return new Sandboxes(store(), ProcFs.LIVE, new PidfdSignaller(ProcFs.LIVE));
    }

    StateStore store() {
        return StateStore.open(xdg.resolve("jbox"), Linux.getuid());
    }

    CliTest.Result jbox(String... args) throws Exception {
        ProcessBuilder pb = CliTest.jbox(args).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("XDG_RUNTIME_DIR", xdg.toString());
        Process p = pb.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> CliTest.read(p.getErrorStream()));
        String out = CliTest.read(p.getInputStream());
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "jbox " + String.join(" ", args) + " did not finish");
        return new CliTest.Result(p.exitValue(), out, err.get());
    }

    /** {@code jbox run -d --rootfs R ARGS…}: checks it printed just an id, and returns it. */
    String detach(String... runArgs) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "-d", "--rootfs", rootfs.toString()));
        args.addAll(List.of(runArgs));
        CliTest.Result r = jbox(args.toArray(String[]::new));
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().matches("[0-9a-f]{12}\n"), "prints the id: " + r.out());
        assertEquals("", r.err(), "quiet");
        return r.out().strip();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> inspect(String ref) throws Exception {
        CliTest.Result r = jbox("inspect", ref);
        assertEquals(0, r.status(), r.err());
        List<Object> all = (List<Object>) Json.parse(r.out());
        assertEquals(1, all.size());
        return (Map<String, Object>) all.getFirst();
    }

    /** Polls the record (in this JVM: cheaper than a jbox per poll) until {@code done} holds. */
    SandboxState await(String id, Predicate<SandboxState> done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            SandboxState s = store().get(id).orElseThrow();
            if (done.test(s)) return s;
            assertTrue(System.nanoTime() < deadline, "still " + s);
            Thread.sleep(50);
        }
    }

    @Test
    void detachPsStopRmRoundTrip() throws Exception {
        String id = detach("--name", "rt", "--", "sh", "-c", "echo hello; trap 'echo bye; exit 3' TERM; while :; do sleep 0.1; done");
        CliTest.Result ps = jbox("ps");
        assertEquals(0, ps.status(), ps.err());
        assertTrue(ps.out().startsWith("ID "), ps.out());
        assertTrue(ps.out().lines().anyMatch(l -> l.startsWith(id + "  rt  ") && l.contains("Up ")), ps.out());

        CliTest.Result stop = jbox("stop", "rt");
        assertEquals(0, stop.status(), stop.err());
        assertEquals("rt\n", stop.out());
        assertEquals("", stop.err(), "it stopped on SIGTERM: no warning");
        CliTest.Result all = jbox("ps", "-a");
        assertTrue(all.out().lines().anyMatch(l -> l.startsWith(id) && l.contains("Exited (3) ")), all.out());
        assertFalse(jbox("ps").out().contains(id), "ps without -a shows running ones only");
        assertEquals("hello\nbye\n", jbox("logs", "rt").out());

        CliTest.Result rm = jbox("rm", "rt");
        assertEquals(0, rm.status(), rm.err());
        assertEquals("rt\n", rm.out());
        assertFalse(Files.exists(xdg.resolve("jbox").resolve(id)), "state dir and log removed");
        assertEquals(List.of(), Json.parse(jbox("ps", "-a", "--format", "json").out()));
    }

    @Test
    void aDetachedSandboxOutlivesRunAndIsTheMonitorsChild() throws Exception {
        String id = detach("--", "sleep", "1000");  // detach() waited for jbox run -d to exit
        Map<String, Object> s = inspect(id);
        long pid = (Long) s.get("pid"), monitor = (Long) s.get("monitorPid");
        assertEquals("running", s.get("status"));
        ProcessHandle workload = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("the workload is gone"));
        assertTrue(workload.isAlive());
        assertEquals(monitor, workload.parent().orElseThrow().pid(), "the monitor is its parent and reaps it");
        String monitorStat = Files.readString(Path.of("/proc/" + monitor + "/stat"));
        String[] f = monitorStat.substring(monitorStat.lastIndexOf(')') + 2).split(" ");
        assertEquals(Long.toString(monitor), f[3], "the monitor leads its own session (field 6), away from the terminal's signals");
        assertTrue(jbox("ps").out().contains(id + "  -  "), "ps lists it");
        assertTrue(jbox("ps", "-q").out().equals(id + "\n"));
    }

    @Test
    void rmLeavesNothingOnceTheSandboxExits() throws Exception {
        String id = detach("--rm", "--name", "gone", "--", "sh", "-c", "sleep 0.3; exit 4");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (store().get(id).isPresent()) {
            assertTrue(System.nanoTime() < deadline, "still recorded: " + store().get(id));
            Thread.sleep(50);
        }
        assertFalse(Files.exists(store().dir(id)), "its state directory and log are gone");
        CliTest.Result ps = jbox("ps", "-a");
        assertFalse(ps.out().contains(id), ps.out());
        assertEquals(125, jbox("rm", "gone").status(), "nothing left to remove");
    }

    @Test
    void ttyWithDetachIsRefusedWithTheFix() throws Exception {
        CliTest.Result r = jbox("run", "-d", "-t", "--rootfs", rootfs.toString(), "--", "true");
        assertEquals(125, r.status());
        assertEquals("jbox: -t with -d: a detached sandbox has no terminal to give the command (jbox has no attach)"
                + " (drop -t; the command's output goes to `jbox logs`)\n", r.err());
        assertEquals("", r.out(), "no sandbox started, no id printed");
    }

    @Test
    void aNamedForegroundRunIsListedWhileItRunsAndHoldsItsName() throws Exception {
        ProcessBuilder pb = CliTest.jbox("run", "--name", "fg", "--rootfs", rootfs.toString(), "--", "sleep", "1000")
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("XDG_RUNTIME_DIR", xdg.toString());
        Process fg = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            CliTest.Result ps;
            // "Created" until the workload runs, then "Up …"
            while (!(ps = jbox("ps")).out().lines().anyMatch(l -> l.contains("  fg  ") && l.contains("Up ") && l.contains("sleep 1000"))) {
                assertTrue(System.nanoTime() < deadline, "never listed as running: " + ps.out() + ps.err());
                Thread.sleep(100);
            }
            CliTest.Result again = jbox("run", "--name", "fg", "--rootfs", rootfs.toString(), "--", "true");
            assertEquals(125, again.status());
            assertTrue(again.err().contains("the name fg is already in use"), again.err());
            CliTest.Result stop = jbox("stop", "-t", "1", "fg");
            assertEquals(0, stop.status(), stop.err());
            assertTrue(fg.waitFor(30, TimeUnit.SECONDS), "the foreground jbox returned");
            assertEquals(137, fg.exitValue(), "sleep ignores SIGTERM as pid 1: killed after the grace period");
        } finally {
            fg.destroyForcibly();
        }
        assertFalse(jbox("ps", "-a").out().contains("  fg  "), "its record went with it");
        assertEquals(0, jbox("run", "--name", "fg", "--rootfs", rootfs.toString(), "--", "true").status(), "the name is free again");
    }

    @Test
    void killRecordsTheSignal() throws Exception {
        String id = detach("--name", "k", "--", "sleep", "1000");
        CliTest.Result kill = jbox("kill", "-s", "KILL", "k");
        assertEquals(0, kill.status(), kill.err());
        assertEquals("k\n", kill.out());
        SandboxState s = await(id, r -> r.status() == SandboxState.Status.EXITED);
        assertEquals(137, s.exitCode());
        assertEquals(9, s.signal());
        CliTest.Result ps = jbox("ps", "-a");
        assertTrue(ps.out().lines().anyMatch(l -> l.startsWith(id + "  k  ") && l.contains("Exited (137) ")), ps.out());
        CliTest.Result again = jbox("kill", "k");
        assertEquals(125, again.status());
        assertEquals("jbox: sandbox k (" + id + ") is not running (see jbox ps -a)\n", again.err());
    }

    @Test
    void statsOfASandboxWithoutLimitsSaysWhyThereAreNone() throws Exception {
        detach("--name", "nolimits", "--stop-timeout", "1", "--", "sleep", "1000");
        CliTest.Result r = jbox("stats", "nolimits");
        assertEquals(125, r.status());
        assertTrue(r.out().startsWith("ID "), r.out());
        assertTrue(r.err().contains("has no cgroup of its own") && r.err().contains("--memory"), r.err());
        jbox("rm", "-f", "nolimits");
    }

    @Test
    void inspectShowsTheRecord() throws Exception {
        String id = detach("--name", "insp", "--stop-timeout", "3", "--", "sleep", "1000");
        Map<String, Object> s = inspect("insp");
        assertEquals(Set.of("id", "name", "status", "command", "rootfs", "image", "created", "started", "finished", "pid", "pidStartTime",
                "monitorPid", "monitorStartTime", "exitCode", "signal", "stopTimeout", "monitorRunning", "stateDir", "log"), s.keySet());
        assertEquals(id, s.get("id"));
        assertEquals("insp", s.get("name"));
        assertEquals("running", s.get("status"));
        assertEquals(List.of("sleep", "1000"), s.get("command"));
        assertEquals(rootfs.toRealPath().toString(), Path.of((String) s.get("rootfs")).toRealPath().toString());
        assertEquals(3L, s.get("stopTimeout"));
        assertEquals(true, s.get("monitorRunning"));
        assertNull(s.get("exitCode"));
        assertEquals(ProcFs.LIVE.startTime((Long) s.get("pid")), s.get("pidStartTime"));
        assertTrue(Instant.parse((String) s.get("created")).isBefore(Instant.now()));
        assertEquals(xdg.resolve("jbox").resolve(id).resolve("log").toString(), s.get("log"));
        CliTest.Result two = jbox("inspect", "insp", "nope");
        assertEquals(125, two.status());
        assertEquals(1, ((List<?>) Json.parse(two.out())).size(), "the found ones are still printed");
        assertEquals("jbox: no such sandbox: nope (see jbox ps -a)\n", two.err());
    }

    @Test
    void aDuplicateNameIsRefused() throws Exception {
        String id = detach("--name", "dup", "--", "sleep", "1000");
        CliTest.Result second = jbox("run", "-d", "--rootfs", rootfs.toString(), "--name", "dup", "--", "true");
        assertEquals(125, second.status());
        assertEquals("jbox: the name dup is already in use by sandbox " + id + " (remove that one with jbox rm dup, or choose another --name)\n", second.err());
        assertEquals(1, store().list().size(), "nothing was recorded for the refused one");
    }

    @Test
    void rmRefusesARunningSandboxWithoutForce() throws Exception {
        String id = detach("--name", "busy", "--", "sleep", "1000");
        long pid = (Long) inspect(id).get("pid");
        CliTest.Result rm = jbox("rm", "busy");
        assertEquals(125, rm.status());
        assertEquals("jbox: sandbox busy (" + id + ") is running (stop it first with jbox stop busy, or use jbox rm -f busy)\n", rm.err());
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "still running");
        CliTest.Result force = jbox("rm", "-f", "busy");
        assertEquals(0, force.status(), force.err());
        assertFalse(ProcFs.LIVE.isRunning(pid, ProcFs.LIVE.startTime(pid)), "killed");
        assertFalse(Files.exists(xdg.resolve("jbox").resolve(id)));
    }

    @Test
    void unknownSandboxesAre125WithAPointer() throws Exception {
        for (String cmd : List.of("stop", "kill", "rm", "inspect", "logs")) {
            CliTest.Result r = jbox(cmd, "ghost");
            assertEquals(125, r.status(), cmd);
            assertTrue(r.err().startsWith("jbox: no such sandbox: ghost (see jbox ps -a)\n"), cmd + ": " + r.err());
        }
    }

    @Test
    void aLaunchErrorIsReportedByRunAndLeavesNoRecord() throws Exception {
        CliTest.Result r = jbox("run", "-d", "--rootfs", rootfs.toString(), "--name", "typo", "--", "no-such-cmd");
        assertEquals(127, r.status());
        assertTrue(r.err().startsWith("jbox: executing no-such-cmd: ENOENT"), r.err());
        assertEquals("", r.out());
        assertEquals(List.of(), store().list());
    }

    /** The monitor killed with SIGKILL: the workload runs on unwatched; ps says so, stop still works, the exit is "unknown". */
    @Test
    void aStaleRecordIsReportedSensibly() throws Exception {
        String id = detach("--name", "orphan", "--", "sleep", "1000");
        Map<String, Object> s = inspect(id);
        ProcessHandle monitor = ProcessHandle.of((Long) s.get("monitorPid")).orElseThrow();
        monitor.destroyForcibly();
        monitor.onExit().get(10, TimeUnit.SECONDS);
        CliTest.Result ps = jbox("ps");
        assertTrue(ps.out().contains("Up ") && ps.out().contains("(monitor gone)"), ps.out());
        assertEquals(false, inspect(id).get("monitorRunning"));

        CliTest.Result stop = jbox("stop", "-t", "1", "orphan");
        assertEquals(0, stop.status(), stop.err());
        assertTrue(stop.err().contains("did not exit within 1 s of SIGTERM; it was killed"), "sleep as pid 1 ignores TERM: " + stop.err());
        CliTest.Result all = jbox("ps", "-a");
        assertTrue(all.out().contains("Exited (unknown: monitor gone)"), all.out());
        Map<String, Object> after = inspect(id);
        assertEquals("exited", after.get("status"));
        assertNull(after.get("exitCode"));
        assertEquals(0, jbox("rm", "orphan").status());
    }

    @Test
    void termToTheMonitorStopsTheSandboxAndTheExitIsRecorded() throws Exception {
        String id = detach("--", "sh", "-c", "trap 'exit 5' TERM; while :; do sleep 0.1; done");
        ProcessHandle.of((Long) inspect(id).get("monitorPid")).orElseThrow().destroy();  // SIGTERM
        SandboxState s = await(id, r -> r.status() == SandboxState.Status.EXITED);
        assertEquals(5, s.exitCode());
        assertNull(s.signal());
    }

    @Test
    void logsFollowUntilTheSandboxExits() throws Exception {
        String id = detach("--", "sh", "-c", "echo one; sleep 1; echo two >&2");
        CliTest.Result logs = jbox("logs", "-f", id);
        assertEquals(0, logs.status(), logs.err());
        assertEquals("one\ntwo\n", logs.out());
    }

    /** jbox processes started from several threads at once: the lock keeps every record whole and every name unique. */
    @Test
    void concurrentPsAndRmDoNotCorruptState() throws Exception {
        StateStore store = store();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {  // exited records: nothing to launch, so the test measures the locking
            String id = String.format("%012x", 0xabc000 + i);
            store.create(SandboxState.of(id, SandboxSpec.builder().command("true").name("n" + i).build(), Instant.now())
                    .exited(ExitStatus.exited(0), Instant.now()));
            ids.add(id);
        }
        int threads = 4;
        List<Future<List<CliTest.Result>>> work = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                List<String> mine = ids.subList(t * 2, t * 2 + 2);
                work.add(pool.submit(() -> {
                    CliTest.Result ps = jbox("ps", "-a", "--format", "json");
                    return List.of(ps, jbox("rm", mine.get(0), mine.get(1)));
                }));
            }
            for (Future<List<CliTest.Result>> f : work) {
                for (CliTest.Result r : f.get()) {
                    assertEquals(0, r.status(), r.err());
                    assertEquals("", r.err());
                    if (r.out().startsWith("[")) {
                        for (Object o : (List<?>) Json.parse(r.out())) assertEquals("exited", ((Map<?, ?>) o).get("status"));
                    }
                }
            }
        }
        assertEquals(List.of(), store.list());
        try (var left = Files.list(xdg.resolve("jbox"))) {
            assertEquals(List.of("lock"), left.map(p -> p.getFileName().toString()).toList(), "no half-written or orphaned files");
        }
    }

    @Test
    void concurrentRunsWithOneNameStartOnlyOne() throws Exception {
        List<Future<CliTest.Result>> runs = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(3)) {
            for (int i = 0; i < 3; i++) {
                runs.add(pool.submit(() -> jbox("run", "-d", "--rootfs", rootfs.toString(), "--name", "only", "--", "sleep", "1000")));
            }
            int started = 0;
            for (Future<CliTest.Result> f : runs) {
                CliTest.Result r = f.get();
                if (r.status() == 0) started++;
                else assertTrue(r.err().contains("the name only is already in use"), r.err());
            }
            assertEquals(1, started);
        }
        assertEquals(1, store().list().size());
    }

    @Test
    void aStateDirectoryOthersCanWriteIsRefused() throws Exception {
        assertEquals(0, jbox("ps").status());
        Path dir = xdg.resolve("jbox");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        CliTest.Result r = jbox("ps");
        assertEquals(125, r.status());
        assertEquals("jbox: state directory " + dir + " is writable by others (rwxrwxrwx) (chmod 700 " + dir + ")\n", r.err());
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void helpHasExamples() throws Exception {
        for (String cmd : List.of("ps", "stop", "kill", "rm", "inspect", "logs")) {
            CliTest.Result r = jbox(cmd, "--help");
            assertEquals(0, r.status(), cmd);
            assertTrue(r.out().contains("Examples:") && r.out().contains("jbox " + cmd), cmd + ": " + r.out());
        }
        assertTrue(jbox("run", "--help").out().contains("--detach"));
    }
}
