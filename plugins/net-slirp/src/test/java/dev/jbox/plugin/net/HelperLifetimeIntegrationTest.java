package dev.jbox.plugin.net;

import dev.jbox.JboxException;
import dev.jbox.RuntimeDirs;
import dev.jbox.Sandbox;
import dev.jbox.linux.Linux;
import dev.jbox.launch.SandboxProcess;
import dev.jbox.plugins.Plugins;
import dev.jbox.spec.NetworkMode;
import dev.jbox.spec.NetworkSpec;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.spi.ChildProcess;
import dev.jbox.testing.Capture;
import dev.jbox.testing.TestRootfs;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static dev.jbox.plugin.net.NetTesting.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The helper's life: it starts only when the launch can go ahead, reports its own failures before
 * the workload runs, ends with the sandbox and with jbox (even on SIGKILL), and leaves nothing.
 */
class HelperLifetimeIntegrationTest {

    @ParameterizedTest
    @EnumSource(value = NetworkMode.class, names = {"SLIRP", "PASTA"})
    void busyHostPortIs125NamingThePortAndStartsNothing(NetworkMode mode) throws Exception {
        assumeUsable(mode);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            long children = ProcessHandle.current().children().count();
            JboxException e = assertThrows(JboxException.class, () -> SANDBOX.launch(sh(mode, "true", loopback(port, 80)).build()));
            assertEquals(125, e.exitCode());
            assertTrue(e.getMessage().contains(Integer.toString(port)) && e.getMessage().contains("EADDRINUSE"), e.getMessage());
            assertEquals(children, ProcessHandle.current().children().count(), "nothing started");
        }
    }

    @ParameterizedTest
    @EnumSource(value = NetworkMode.class, names = {"SLIRP", "PASTA"})
    void aPortTakenAfterTheCheckIsReportedFromTheHelper(NetworkMode mode, @TempDir Path dir) throws Exception {
        assumeUsable(mode);
        // The race prepare() cannot close: attach the helper by hand to a sandbox's namespace while the port is taken.
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Running target = new Running(new Sandbox(Plugins.none())
                     .launch(SandboxSpec.builder().rootfs(TestRootfs.shared()).command("sleep", "100").build()))) {
            Backend backend = Backend.choose(mode, Executables.fromEnvironment());
            SandboxNetDir netDir = SandboxNetDir.create(dir, "race", Linux.getuid());
            Attachment attachment = new Attachment(new NetworkSpec(mode, List.of(loopback(taken.getLocalPort(), 80)), false), true, netDir.path());
            NetworkHooks hooks = new NetworkHooks(backend, attachment, netDir);
            try {
                JboxException e = assertThrows(JboxException.class,
                        () -> hooks.beforeRelease(new ChildProcess((int) target.process().pid(), -1)));
                // slirp4netns: "publishing 127.0.0.1:P:80/tcp …: slirp_add_hostfwd failed"; pasta: "Failed to bind any port for '-t 127.0.0.1/P:80'".
                assertTrue(e.getMessage().contains(Integer.toString(taken.getLocalPort())), e.userMessage());
            } finally {
                hooks.close();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = NetworkMode.class, names = {"SLIRP", "PASTA"})
    void helperEndsWithTheSandbox(NetworkMode mode) throws Exception {
        assumeUsable(mode);
        SandboxProcess p = SANDBOX.launch(sh(mode, "exec sleep 100").build());
        ProcessHandle helper = onlyHelper();
        assertTrue(comm(helper.pid()).startsWith(mode == NetworkMode.SLIRP ? "slirp4netns" : "pas"), comm(helper.pid()));
        assertTrue(helper.isAlive());
        p.destroyForcibly();
        assertEquals(137, p.waitFor());
        assertFalse(helper.isAlive(), "the helper is stopped before waitFor returns");
    }

    @ParameterizedTest
    @EnumSource(value = NetworkMode.class, names = {"SLIRP", "PASTA"})
    void helperAndSandboxEndWhenJboxIsKilled(NetworkMode mode) throws Exception {
        assumeUsable(mode);
        long[] pids = killHolder(mode, true);
        awaitEnded(pids[1], "the sandbox dies with its parent");
        awaitEnded(pids[0], "the helper outlived the killed jbox");
        // The killed jbox could not remove its files; the next networked launch does.
        assertEquals(0, Capture.run(SANDBOX.launch(sh(mode, "true").stdout(Redirect.PIPE).stderr(Redirect.PIPE).build())).status());
        assertEquals(List.of(), netDirsOwnedBy(pids[2]), "files of the killed jbox");
    }

    private static List<Path> netDirsOwnedBy(long jvmPid) throws IOException {
        Path runtime = RuntimeDirs.forSandbox(Linux.getuid());
        try (var dirs = Files.list(runtime)) {
            return dirs.map(d -> d.resolve(SandboxNetDir.NAME).resolve(SandboxNetDir.OWNER))
                    .filter(o -> readQuietly(o).startsWith(jvmPid + " ")).toList();
        }
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }

    @ParameterizedTest
    @EnumSource(value = NetworkMode.class, names = {"SLIRP", "PASTA"})
    void helperEndsWhenJboxIsKilledEvenIfTheSandboxLivesOn(NetworkMode mode) throws Exception {
        assumeUsable(mode);
        // No parent-death signal for the sandbox: only exit-fd (slirp4netns) or setpriv's signal (pasta) ends the helper.
        long[] pids = killHolder(mode, false);
        try {
            awaitEnded(pids[0], "the helper outlived the killed jbox");
            assertTrue(running(pids[1]), "the sandbox itself was meant to survive");
        } finally {
            ProcessHandle.of(pids[1]).ifPresent(ProcessHandle::destroyForcibly);  // the sandbox this test started
            SandboxNetDir.sweepStale(RuntimeDirs.forSandbox(Linux.getuid()));       // and the killed jbox's files
        }
    }

    /** Runs a sandbox in another JVM, SIGKILLs that JVM, and returns {helper pid, sandbox pid, that JVM's pid}. */
    private static long[] killHolder(NetworkMode mode, boolean dieWithParent) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process jbox = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", classpath, SandboxHolder.class.getName(),
                mode.name(), TestRootfs.shared().toString(), Boolean.toString(dieWithParent))
                .redirectError(Redirect.INHERIT).start();
        String line;
        try (var out = new BufferedReader(new InputStreamReader(jbox.getInputStream()))) {
            line = out.readLine();
        } finally {
            jbox.destroyForcibly();  // SIGKILL: no cleanup code runs in that JVM
            jbox.waitFor();
        }
        assertNotNull(line, "the holder JVM printed no pids");
        long[] pids = Arrays.stream((line + " " + jbox.pid()).split(" ")).mapToLong(Long::parseLong).toArray();
        assertTrue(isHelperName(comm(pids[0])), "helper: " + comm(pids[0]));
        return pids;
    }

    private static void awaitEnded(long pid, String message) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (running(pid) && System.nanoTime() < deadline) Thread.sleep(20);
        assertFalse(running(pid), message + ": " + pid + " " + comm(pid));
    }

    @ParameterizedTest
    @EnumSource(value = NetworkMode.class, names = {"SLIRP", "PASTA"})
    void twentyRunsLeaveNoHelperProcessOrFile(NetworkMode mode) throws Exception {
        assumeUsable(mode);
        Path runtime = RuntimeDirs.forSandbox(Linux.getuid());
        assertEquals(0, Capture.run(SANDBOX.launch(sh(mode, "true").build())).status());  // the runtime dir exists from now on
        List<Path> before = list(runtime);
        for (int i = 0; i < 20; i++) {
            Capture c = Capture.run(SANDBOX.launch(sh(mode, "true", loopback(freePort(), 80)).stdout(Redirect.PIPE).stderr(Redirect.PIPE).build()));
            assertEquals(0, c.status(), c.err());
        }
        assertEquals(List.of(), helperChildren(), "helper processes left");
        assertEquals(before, list(runtime), "files left in " + runtime);
    }

    private static List<Path> list(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
