package dev.jbox;

import dev.jbox.launch.SandboxProcess;
import dev.jbox.spec.Identity;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.spec.UserNamespaceMode;
import dev.jbox.testing.Capture;
import dev.jbox.testing.Rootless;
import dev.jbox.testing.TestRootfs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Real sandboxes, launched as the unprivileged user running the tests, on a busybox root. */
class SandboxIntegrationTest {
    static Path rootfs;

    @BeforeAll
    static void setUp() {
        Rootless.assumeUnprivileged();
        rootfs = TestRootfs.shared();
    }

    static SandboxSpec.Builder sh(String script) {
        return SandboxSpec.builder().rootfs(rootfs).command("/bin/sh", "-c", script);
    }

    @Test
    void isRootAndPidOneWithOwnHostname() {
        Capture c = Capture.run(sh("id -u; id -g; echo $$; hostname").hostname("box1"));
        assertEquals(0, c.status(), c.err());
        assertEquals(List.of("0", "0", "1", "box1"), c.out().lines().toList());
    }

    @Test
    void procShowsOnlySandboxProcesses() {
        Capture c = Capture.run(sh("ls /proc | grep '^[0-9]' | sort -n"));
        List<Integer> pids = c.out().lines().map(Integer::parseInt).toList();
        assertTrue(pids.contains(1), c.out());
        assertTrue(pids.stream().allMatch(p -> p < 10), "only the sandbox's few processes: " + pids);
    }

    @Test
    void networkHasOnlyLoopbackAndItIsUp() {
        Capture c = Capture.run(sh("tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '; cat /sys/class/net/lo/operstate; ls /sys/class/net"));
        assertEquals(0, c.status(), c.err());
        List<String> lines = c.out().lines().toList();
        assertEquals("lo", lines.get(0));
        assertEquals(1, lines.stream().filter(l -> l.equals("lo")).count() - 1, "lo listed in /proc/net/dev and /sys: " + lines);
        assertNotEquals("down", lines.get(1));
    }

    @Test
    void readOnlyBindRefusesWritesWithEROFS(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("file"), "host content");
        Capture c = Capture.run(sh("cat /data/file; touch /data/new").bind(dir, "/data", true));
        assertTrue(c.out().contains("host content"), c.out());
        assertTrue(c.err().contains("Read-only file system"), c.err());
        assertNotEquals(0, c.status());
        assertFalse(Files.exists(dir.resolve("new")));
    }

    @Test
    void readWriteBindWritesThrough(@TempDir Path dir) {
        Capture c = Capture.run(sh("echo written > /data/out").bind(dir, "/data", false));
        assertEquals(0, c.status(), c.err());
        assertTrue(Files.exists(dir.resolve("out")));
    }

    @Test
    void bindsUnderOneNewDirectoryBothMountAfterTheToleratedEexist(@TempDir Path dir) throws Exception {
        // The second bind's mkdir of /tmp/shared fails with EEXIST, which its step tolerates; the
        // errno must not be taken for the next call's failure.
        Path a = Files.createDirectories(dir.resolve("a")), b = Files.createDirectories(dir.resolve("b"));
        Files.writeString(a.resolve("f"), "A");
        Files.writeString(b.resolve("f"), "B");
        Capture c = Capture.run(sh("cat /tmp/shared/a/f /tmp/shared/b/f").bind(a, "/tmp/shared/a", true).bind(b, "/tmp/shared/b", true));
        assertEquals(0, c.status(), c.err());
        assertEquals("AB", c.out());
    }

    @Test
    void hostPathsOutsideTheBindsAreInvisible(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "s");
        Capture c = Capture.run(sh("ls " + secret + " || echo invisible; ls /home; ls /oldroot /newroot 2>&1 || true"));
        assertTrue(c.out().contains("invisible"), c.out());
        assertFalse(c.out().contains("jboxci"), "host home directories must not show: " + c.out());
    }

    @Test
    void exitCodesAreExact() {
        assertEquals(0, Capture.run(sh("exit 0")).status());
        assertEquals(3, Capture.run(sh("exit 3")).status());
    }

    @Test
    void commandNotFoundIs127AndNotExecutableIs126() throws Exception {
        JboxException notFound = assertThrows(JboxException.class,
                () -> Sandbox.start(SandboxSpec.builder().rootfs(rootfs).command("no-such-command").build()));
        assertEquals(127, notFound.exitCode());
        assertTrue(notFound.getMessage().contains("no-such-command") && notFound.getMessage().contains("ENOENT"), notFound.getMessage());

        Path root = TestRootfs.fresh();
        Files.writeString(root.resolve("bin/script"), "#!/bin/sh\necho hi\n");
        JboxException notExecutable = assertThrows(JboxException.class,
                () -> Sandbox.start(SandboxSpec.builder().rootfs(root).command("/bin/script").build()));
        assertEquals(126, notExecutable.exitCode());
        assertTrue(notExecutable.getMessage().contains("EACCES"), notExecutable.getMessage());
    }

    @Test
    void killedBySignalNineIs137() throws Exception {
        SandboxProcess p = Sandbox.start(sh("sleep 100").build());
        p.destroyForcibly();
        assertEquals(137, p.waitFor());
        assertEquals(9, p.exitStatus().signal());
    }

    @Test
    void sigtermReachesAHandlerInside() throws Exception {
        SandboxProcess p = Sandbox.start(sh("trap 'echo got TERM; exit 42' TERM; echo ready; while true; do sleep 0.05; done")
                .stdout(Redirect.PIPE).build());
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
        assertEquals("ready", out.readLine());
        p.destroy();
        assertEquals(42, p.waitFor());
        assertEquals("got TERM", out.readLine());
    }

    @Test
    void stopEscalatesToSigkillWhenPidOneIgnoresTerm() throws Exception {
        SandboxProcess p = Sandbox.start(sh("exec sleep 100").stopTimeout(java.time.Duration.ofMillis(300)).build());
        p.stop(15);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "SIGKILL after the stop timeout");
        assertEquals(137, p.exitValue());
    }

    @Test
    void badMountSourceNamesItselfAndStartsNothing(@TempDir Path dir) {
        Path missing = dir.resolve("nope");
        long children = ProcessHandle.current().children().count();
        JboxException e = assertThrows(JboxException.class, () -> Sandbox.start(sh("true").bind(missing, "/data", false).build()));
        assertEquals(125, e.exitCode());
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("ENOENT"), e.getMessage());
        assertEquals(children, ProcessHandle.current().children().count(), "no process started");
    }

    @Test
    void failingStepIsReportedByNameAndErrno() {
        JboxException e = assertThrows(JboxException.class,
                () -> Sandbox.start(sh("true").tmpfs("/proc/sys/nope").build()));
        assertEquals(125, e.exitCode());
        assertTrue(e.getMessage().startsWith("creating mount point /proc/sys/nope") || e.getMessage().contains("mount"), e.getMessage());
    }

    @Test
    void environmentWorkdirAndTmpfs() {
        Capture c = Capture.run(sh("echo $GREETING; pwd; echo $container; touch /scratch/x && echo tmpfs-writable")
                .env("GREETING", "hello").workdir("/etc").tmpfs("/scratch"));
        assertEquals(List.of("hello", "/etc", "jbox", "tmpfs-writable"), c.out().lines().toList(), c.err());
    }

    @Test
    void readOnlyRootRefusesWritesButTmpStaysWritable() {
        Capture c = Capture.run(sh("touch /root/x 2>&1; touch /tmp/y && echo tmp-ok").readOnly(true));
        assertTrue(c.out().contains("Read-only file system") && c.out().contains("tmp-ok"), c.out());
    }

    @Test
    void hostRootDefaultIsReadOnlyWithPrivateTmp() {
        Capture c = Capture.run(SandboxSpec.builder().command("/bin/sh", "-c", "id -u; touch /usr/x 2>&1; ls /tmp | wc -l")
                .stdout(Redirect.PIPE).stderr(Redirect.PIPE));
        List<String> lines = c.out().lines().toList();
        assertEquals("0", lines.get(0));
        assertTrue(lines.get(1).contains("Read-only file system"), c.out());
        assertEquals("0", lines.get(2).trim());
    }

    @Test
    void mountTargetSymlinksNeverLeaveTheRoot(@TempDir Path dir) throws Exception {
        Path root = TestRootfs.fresh();
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.createSymbolicLink(root.resolve("escape"), outside);           // absolute: resolved inside the root
        Files.createSymbolicLink(root.resolve("up"), Path.of("../../../.."));  // .. stops at the root
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve("marker"), "m");
        Capture c = Capture.run(SandboxSpec.builder().rootfs(root).command("/bin/sh", "-c", "cat " + outside + "/data/marker /data2/marker")
                .bind(src, "/escape/data", true).bind(src, "/up/data2", true).stdout(Redirect.PIPE).stderr(Redirect.PIPE));
        assertEquals(0, c.status(), c.err());
        assertEquals("mm", c.out());
        try (var s = Files.list(outside)) {
            assertEquals(0, s.count(), "nothing created outside the root");
        }
        assertTrue(Files.isDirectory(root.resolve("data2")));
    }

    @Test
    void userNamespaceAutoMapsASubordinateRange() {
        Capture c = Capture.run(sh("cat /proc/self/uid_map | wc -l; id -u; id -g")
                .identity(new Identity(UserNamespaceMode.AUTO, 1000, 1000)));
        if (c.status() == 125 || c.err().contains("subuid")) {
            org.junit.jupiter.api.Assumptions.abort("needs a subuid range and newuidmap: " + c.err());
        }
        assertEquals(List.of("2", "1000", "1000"), c.out().lines().map(String::trim).toList(), c.err());
    }

    @Test
    void hundredSequentialLaunchesLeaveNothingBehind() throws Exception {
        Capture.run(sh("true"));  // warm up: lazily started pools and linked handles are not leaks
        Thread.sleep(200);
        long fds = countFds(), threads = Thread.activeCount(), children = ProcessHandle.current().children().count();
        String mounts = Files.readString(Path.of("/proc/self/mountinfo"));
        for (int i = 0; i < 100; i++) assertEquals(0, Capture.run(sh("true")).status());
        Thread.sleep(500);
        assertEquals(fds, countFds(), "open fds");
        assertTrue(Thread.activeCount() <= threads + 2, "threads: " + threads + " -> " + Thread.activeCount());
        assertEquals(children, ProcessHandle.current().children().count(), "child processes");
        assertEquals(mounts, Files.readString(Path.of("/proc/self/mountinfo")), "mounts");
    }

    @Test
    void sixteenConcurrentLaunchesAllSucceed() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Capture>> runs = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                int n = i;
                runs.add(pool.submit(() -> Capture.run(sh("echo $$ " + n).hostname("c" + n))));
            }
            for (int i = 0; i < 16; i++) {
                Capture c = runs.get(i).get(60, TimeUnit.SECONDS);
                assertEquals(0, c.status(), c.err());
                assertEquals("1 " + i, c.out().trim());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void stdioRedirectsToAndFromFiles(@TempDir Path dir) throws Exception {
        Path in = Files.writeString(dir.resolve("in"), "from a file\n"), out = dir.resolve("out"), err = dir.resolve("err");
        SandboxProcess p = Sandbox.start(sh("cat; echo oops >&2").stdin(Redirect.from(in.toFile()))
                .stdout(Redirect.to(out.toFile())).stderr(Redirect.appendTo(err.toFile())).build());
        assertEquals(0, p.waitFor());
        assertEquals("from a file\n", Files.readString(out));
        assertEquals("oops\n", Files.readString(err));
    }

    @Test
    void pipedStdinReachesTheWorkload() throws Exception {
        SandboxProcess p = Sandbox.start(sh("read line; echo got $line").stdin(Redirect.PIPE).stdout(Redirect.PIPE).build());
        p.getOutputStream().write("hello\n".getBytes());
        p.getOutputStream().close();
        assertEquals("got hello\n", new String(p.getInputStream().readAllBytes()));
        assertEquals(0, p.waitFor());
    }

    @Test
    void onlyStdioIsOpenInTheWorkload() {
        Capture c = Capture.run(sh("ls /proc/self/fd | sort -n | tr '\\n' ' '"));
        assertEquals("0 1 2 3 ", c.out(), "0-2 and the fd ls itself opens; nothing leaked from the JVM");
    }

    @Test
    void theJboxProcessIsOutOfReachFromInside() {
        long jvm = ProcessHandle.current().pid();
        Capture c = Capture.run(sh("kill -0 " + jvm + " 2>&1 || echo no-signal; cat /proc/" + jvm + "/mem 2>&1 >/dev/null || echo no-memory"));
        assertTrue(c.out().contains("no-signal") && c.out().contains("no-memory"), c.out());
    }

    @Test
    void theWorkloadLeadsItsOwnSession() {
        // setsid: without a terminal of its own, the sandbox cannot push input into the caller's (CVE-2017-5226).
        Capture c = Capture.run(sh("cut -d' ' -f6 /proc/1/stat; cut -d' ' -f7 /proc/1/stat"));
        assertEquals(List.of("1", "0"), c.out().lines().toList(), "session 1, no controlling terminal");
    }

    private static long countFds() throws Exception {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    static String[] args(String... a) {
        return Arrays.copyOf(a, a.length);
    }
}
