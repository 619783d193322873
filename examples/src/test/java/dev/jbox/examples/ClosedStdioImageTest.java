package dev.jbox.examples;

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
 * Issue 15, closed stdio with an image root (the storage plugin loaded, its store's files open in
 * the JVM): the workload gets /dev/null where its caller closed a stream. The CLI and the library on
 * the host's root and a root directory: core's ClosedStdioTest.
 */
class ClosedStdioImageTest {
    private static final Path DOCKER_ARCHIVE = Path.of("..", "core", "scripts", "docker-archive").toAbsolutePath().normalize();

    @BeforeAll
    static void unprivileged() {
        Rootless.assumeUnprivileged();
    }

    private static ProcessBuilder cli(Path store, List<String> args) {
        ProcessBuilder pb = ExampleProfilesRunTest.jbox(store, args.toArray(String[]::new));
        pb.environment().put("XDG_DATA_HOME", store.toString());
        return pb;
    }

    @Test
    void anImageWorkloadGetsDevNullForEachClosedStream(@TempDir Path store, @TempDir Path report) throws Exception {
        Path archive = store.resolve("busybox.tar");
        Process made = new ProcessBuilder(DOCKER_ARCHIVE.toString(), TestRootfs.shared().toString(), "stdio-probe:1", archive.toString())
                .inheritIO().start();
        assertEquals(0, made.waitFor());
        Process imported = cli(store, List.of("import", "-q", archive.toString(), "stdio-probe:1")).inheritIO().start();
        assertTrue(imported.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, imported.exitValue());

        for (Set<Integer> closed : StdioProbe.CLOSINGS) {
            List<String> args = new ArrayList<>(List.of("run", "--image", "stdio-probe:1", "-v", report + ":/tmp", "--"));
            args.addAll(StdioProbe.workload("/tmp"));
            ProcessBuilder jbox = cli(store, args);
            List<String> command = jbox.command();
            ProcessBuilder pb = StdioProbe.withClosed(closed, command).directory(store.toFile())
                    .redirectErrorStream(!closed.contains(1) && !closed.contains(2));
            pb.environment().putAll(jbox.environment());
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the caller did not finish");
            assertEquals(0, p.exitValue(), "closed " + closed + ": the workload runs; " + out);
            assertEquals(StdioProbe.expected(closed), StdioProbe.kinds(StdioProbe.report(report)), "closed " + closed);
        }
    }
}
