package dev.jbox.cli;

import dev.jbox.testing.InheritingSandbox;
import dev.jbox.testing.Rootless;
import dev.jbox.testing.StdioProbe;
import dev.jbox.testing.TestRootfs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A caller that closed its stdin, stdout or stderr (daemons, cron, some CI runners): the workload
 * gets /dev/null there, never the file the JVM opened into the free slot (its runtime image, a
 * class path jar), and still runs. Through the CLI and through the library with INHERIT, on the
 * host's root and on a root directory. (./jbox's part: LauncherStdioTest.)
 */
class ClosedStdioTest {
    private static final String MOUNTED = "/tmp";  // exists on the host and in the test root
    static Path rootfs;

    @BeforeAll
    static void setUp() {
        Rootless.assumeUnprivileged();
        rootfs = TestRootfs.shared();
    }

    @Test
    void theCliOnTheHostsRoot(@TempDir Path dir) throws Exception {
        for (Set<Integer> closed : StdioProbe.CLOSINGS) assertWorkloadGets(closed, dir, cli(dir, List.of()));
    }

    @Test
    void theCliOnARootDirectory(@TempDir Path dir) throws Exception {
        for (Set<Integer> closed : StdioProbe.CLOSINGS) assertWorkloadGets(closed, dir, cli(dir, List.of("--rootfs", rootfs.toString())));
    }

    @Test
    void theLibraryWithInheritOnTheHostsRoot(@TempDir Path dir) throws Exception {
        for (Set<Integer> closed : StdioProbe.CLOSINGS) assertWorkloadGets(closed, dir, library(dir));
    }

    @Test
    void theLibraryWithInheritOnARootDirectory(@TempDir Path dir) throws Exception {
        List<String> command = new ArrayList<>(library(dir));
        command.add(rootfs.toString());
        for (Set<Integer> closed : StdioProbe.CLOSINGS) assertWorkloadGets(closed, dir, command);
    }

    private static List<String> cli(Path dir, List<String> options) {
        List<String> cmd = new ArrayList<>(CliTest.jbox().command());
        cmd.addAll(List.of("run", "-v", dir + ":" + MOUNTED));
        cmd.addAll(options);
        cmd.add("--");
        cmd.addAll(StdioProbe.workload(MOUNTED));
        return cmd;
    }

    private static List<String> library(Path dir) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), InheritingSandbox.class.getName(),
                dir.toString(), MOUNTED);
    }

    private static void assertWorkloadGets(Set<Integer> closed, Path dir, List<String> command) throws Exception {
        Process p = StdioProbe.withClosed(closed, command).redirectErrorStream(!closed.contains(1) && !closed.contains(2)).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the caller did not finish");
        assertEquals(0, p.exitValue(), "closed " + closed + ": the workload runs; " + out);
        assertEquals(StdioProbe.expected(closed), StdioProbe.kinds(StdioProbe.report(dir)), "closed " + closed);
    }
}
