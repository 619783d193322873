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
    void logLevelBeforeTheSubcommandMayBeInfo() throws Exception {
        for (String[] args : List.of(new String[] {"--log-level", "info", "run", "--dry-run", "--", "/bin/true"},
                new String[] {"--log-level=info", "run", "--dry-run", "--", "/bin/true"})) {
            Result r = run(args);
            assertEquals(0, r.status(), r.err());
            assertTrue(r.out().contains("executing /bin/true"), r.out());
        }
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
    void interactiveShellThroughAPty() throws Exception {
        // The test plays the terminal emulator: jbox's stdio is the slave of a pty whose master we hold.
        dev.jbox.linux.Terminal.Pair pty = dev.jbox.linux.Terminal.openPair();
        Path slave = Files.readSymbolicLink(Path.of("/proc/self/fd/" + pty.slave()));
        Process p = jbox("run", "-it", "--rootfs", rootfs.toString(), "--", "sh")
                .redirectInput(slave.toFile()).redirectOutput(slave.toFile()).redirectError(slave.toFile()).start();
        dev.jbox.linux.Linux.close(pty.slave());
        StringBuilder seen = new StringBuilder();
        var reader = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try (var arena = java.lang.foreign.Arena.ofConfined()) {
                var buf = arena.allocate(4096);
                for (int n; (n = dev.jbox.linux.Linux.read(pty.master(), buf, 4096)) > 0; ) {
                    synchronized (seen) {
                        seen.append(new String(buf.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)));
                    }
                }
            } catch (dev.jbox.linux.SyscallException eio) {
                // EIO once jbox, the last holder of the slave, is gone
            }
        });
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            Thread.sleep(1500);  // let jbox put the terminal in raw mode before we type
            byte[] typed = "tty; echo hello-from-$((6*7)); exit 7\n".getBytes();
            dev.jbox.linux.Linux.writeFully(pty.master(), arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_BYTE, typed), "pty");
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the shell exits: " + seen);
            assertEquals(7, p.exitValue());
            reader.get(5, TimeUnit.SECONDS);
            synchronized (seen) {
                assertTrue(seen.toString().contains("hello-from-42"), seen.toString());
                assertTrue(seen.toString().contains("/dev/pts/0"), "the workload's own pty, from the sandbox's devpts: " + seen);
            }
        } finally {
            p.destroyForcibly();
            dev.jbox.linux.Linux.close(pty.master());
        }
    }

    @Test
    void aTerminalWithoutInputIsTheControllingTerminalToo() throws Exception {
        // -t without -i (docker run -t): stdin is /dev/null, the sandbox's pty is on stdout and stderr.
        Result r = run("run", "-t", "--rootfs", rootfs.toString(), "--", "sh", "-c", "echo ctty-ok >/dev/tty");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("ctty-ok"), r.out());
    }

    @Test
    void profileWithFlagsOnTop(@TempDir Path dir) throws Exception {
        Path profile = Files.writeString(dir.resolve("p.toml"), "hostname = \"from-profile\"\nrootfs = \"" + rootfs + "\"\n"
                + "command = [\"sh\", \"-c\", \"hostname; echo $A\"]\n[env]\nA = \"profile\"\n");
        Result r = run("run", "--profile", profile.toString(), "-e", "A=flag");
        assertEquals("from-profile\nflag\n", r.out(), r.err());
        Result dry = run("run", "--dry-run", "--profile", profile.toString(), "--hostname", "from-flag");
        assertTrue(dry.out().contains("hostname = \"from-flag\"") && dry.out().contains("setting hostname from-flag"), dry.out());
    }

    @Test
    void profileCheckReportsFileLineAndColumn(@TempDir Path dir) throws Exception {
        Path good = Files.writeString(dir.resolve("good.toml"), "hostname = \"h\"\n");
        Path bad = Files.writeString(dir.resolve("bad.toml"), "hostname = \"h\"\nmemroy = 1\n");
        Result r = run("profile", "check", good.toString(), bad.toString());
        assertEquals(125, r.status());
        assertTrue(r.out().contains(good + ": OK"), r.out());
        assertTrue(r.err().contains(bad + ":2:1: unknown key `memroy`"), r.err());
    }

    @Test
    void malformedProfilesAre125WithFileLineAndColumn(@TempDir Path dir) throws Exception {
        Path syntax = Files.writeString(dir.resolve("syntax.toml"), "hostname = \"h\"\nread_only = = true\n");
        Path unknown = Files.writeString(dir.resolve("unknown.toml"), "hostnme = \"h\"\n");
        Path type = Files.writeString(dir.resolve("type.toml"), "\n[limits]\nmemory = true\n");
        Path missing = Files.writeString(dir.resolve("missing.toml"), "extends = \"nowhere.toml\"\n");
        Path a = dir.resolve("a.toml"), b = dir.resolve("b.toml");
        Files.writeString(a, "extends = \"b.toml\"\n");
        Files.writeString(b, "extends = \"a.toml\"\n");
        for (Path p : List.of(syntax, unknown, type, missing, a)) {
            Result r = run("run", "--profile", p.toString(), "--", "true");
            assertEquals(125, r.status(), p + ": " + r.err());
            assertTrue(r.err().matches("(?s).*" + java.util.regex.Pattern.quote(dir.toString()) + "/\\w+\\.toml:\\d+:\\d+: .*"), p + ": " + r.err());
            assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        }
        assertTrue(run("run", "--profile", unknown.toString(), "--", "true").err().contains("did you mean `hostname`"));
        assertTrue(run("run", "--profile", type.toString(), "--", "true").err().contains("unknown.toml") == false);
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
        assertTrue(doctor.out().contains(" delegated controllers "), doctor.out());
        Result json = run("doctor", "--format", "json");
        assertTrue(json.out().startsWith("[") && json.out().contains("\"name\": \"kernel\""), json.out());
    }

    @Test
    void bashCompletionIsGeneratedFromTheCommands() throws Exception {
        Result r = run("completion", "bash");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("complete -F") && r.out().contains("--rootfs") && r.out().contains("ps"), r.out());
        Process bash = new ProcessBuilder("bash", "-c", "source /dev/stdin && complete -p jbox").start();
        bash.getOutputStream().write(r.out().getBytes());
        bash.getOutputStream().close();
        assertTrue(read(bash.getInputStream()).contains("jbox"));
        assertEquals(0, bash.waitFor());
    }

    @Test
    void versionAndHelpWithExamples() throws Exception {
        assertTrue(run("--version").out().startsWith("jbox "));
        String help = run("run", "--help").out();
        assertTrue(help.contains("Examples:") && help.contains("--rootfs"), help);
    }
}
