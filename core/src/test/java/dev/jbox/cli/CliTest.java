package dev.jbox.cli;

import dev.jbox.testing.Rootless;
import dev.jbox.testing.TestRootfs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The CLI as users run it: a separate JVM, real sandboxes, exit codes and messages. */
class CliTest {
    static Path rootfs;

    record Result(int status, String out, String err) {}

    @BeforeAll
    static void setUp() {
        Rootless.assumeUnprivileged();
        rootfs = TestRootfs.shared();
    }

    static ProcessBuilder jbox(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "dev.jbox.cli.Main"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    static Result run(String... args) throws Exception {
        Process p = jbox(args).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "jbox did not finish");
        return new Result(p.exitValue(), out, err.get());
    }

    static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void exitStatusIsTheCommands() throws Exception {
        Result r = run("run", "--rootfs", rootfs.toString(), "--", "sh", "-c", "echo out; exit 3");
        assertEquals(3, r.status(), r.err());
        assertEquals("out\n", r.out());
        assertEquals("", r.err(), "quiet by default");
    }

    @Test
    void commandNotFoundIs127WithAMessage() throws Exception {
        Result r = run("run", "--rootfs", rootfs.toString(), "--", "no-such-cmd");
        assertEquals(127, r.status());
        assertTrue(r.err().startsWith("jbox: executing no-such-cmd: ENOENT"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
    }

    @Test
    void notExecutableIs126() throws Exception {
        Result r = run("run", "--rootfs", rootfs.toString(), "--", "/etc/passwd");
        assertEquals(126, r.status(), r.err());
        assertTrue(r.err().contains("EACCES"), r.err());
    }

    @Test
    void badVolumeSourceIs125AndNamesIt(@TempDir Path dir) throws Exception {
        Result r = run("run", "--rootfs", rootfs.toString(), "-v", dir.resolve("missing") + ":/data", "--", "true");
        assertEquals(125, r.status());
        assertTrue(r.err().contains(dir.resolve("missing").toString()) && r.err().contains("ENOENT"), r.err());
    }

    @Test
    void usageErrorsAre125WithAPointer() throws Exception {
        Result r = run("run", "--no-such-flag", "--", "true");
        assertEquals(125, r.status());
        assertTrue(r.err().contains("Unknown option: '--no-such-flag'"), r.err());
        Result bad = run("run", "--network", "bridge", "--", "true");
        assertEquals(125, bad.status());
        assertTrue(bad.err().contains("--network bridge: expected one of"), bad.err());
    }

    @Test
    void dryRunPrintsThePlanAndStartsNothing() throws Exception {
        Result r = run("run", "--dry-run", "--rootfs", rootfs.toString(), "--hostname", "planned", "--", "/bin/true");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("setting hostname planned"), r.out());
        assertTrue(r.out().contains("executing /bin/true"), r.out());
    }

    @Test
    void sigtermToJboxReachesTheWorkload() throws Exception {
        Process p = jbox("run", "--rootfs", rootfs.toString(), "--", "sh", "-c",
                "trap 'echo got TERM; exit 42' TERM; echo ready; while true; do sleep 0.05; done").start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
        assertEquals("ready", out.readLine());
        p.toHandle().destroy();  // SIGTERM to jbox (Process.destroy would also close our ends of its pipes)
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        assertEquals(42, p.exitValue(), read(p.getErrorStream()));
        assertEquals("got TERM", out.readLine());
    }

    @Test
    void workloadIgnoringTermIsKilledAfterTheStopTimeout() throws Exception {
        Process p = jbox("run", "--rootfs", rootfs.toString(), "--stop-timeout", "1", "--", "sh", "-c", "echo ready; exec sleep 100").start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
        assertEquals("ready", out.readLine());
        p.toHandle().destroy();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        assertEquals(137, p.exitValue());
    }

    @Test
    void environmentFromFileAndFlags(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("env"), "# comment\nA=from-file\nB=from-file\n");
        Result r = run("run", "--rootfs", rootfs.toString(), "--env-file", file.toString(), "-e", "B=flag", "--", "sh", "-c", "echo $A $B");
        assertEquals("from-file flag\n", r.out(), r.err());
    }

    @Test
    void hostRootDefaultRunsIdAsRoot() throws Exception {
        Result r = run("run", "--", "id", "-u");
        assertEquals(0, r.status(), r.err());
        assertEquals("0\n", r.out());
    }

    @Test
    void infoAndDoctorDescribeThisHost() throws Exception {
        Result info = run("info");
        assertEquals(0, info.status(), info.err());
        assertTrue(info.out().contains("kernel:   " + Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim()), info.out());
        Result doctor = run("doctor");
        assertTrue(doctor.out().contains("OK   user namespaces"), doctor.out());
        boolean v2 = Files.readString(Path.of("/proc/self/mountinfo")).lines().anyMatch(l -> l.contains(" /sys/fs/cgroup ") && l.contains(" - cgroup2 "));
        assertTrue(doctor.out().contains((v2 ? "OK  " : "WARN") + " cgroup v2"), doctor.out());
        Result json = run("doctor", "--format", "json");
        assertTrue(json.out().startsWith("[") && json.out().contains("\"name\": \"kernel\""), json.out());
    }

    @Test
    void versionAndHelpWithExamples() throws Exception {
        assertTrue(run("--version").out().startsWith("jbox "));
        String help = run("run", "--help").out();
        assertTrue(help.contains("Examples:") && help.contains("--rootfs"), help);
    }
}
