package dev.jbox.cli;

import dev.jbox.testing.StdioProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code ./jbox} opens /dev/null on the stdio its caller closed before anything else, so neither
 * the JVM's first file nor bash's own copy of the script (bash keeps it at a closed fd 2) becomes
 * jbox's stdio. A copy of the script runs a stand-in JDK whose java reports its fds 0-2.
 */
class LauncherStdioTest {
    private static final Path SCRIPT = Path.of("..", "jbox");  // Maven runs tests in core/

    @Test
    void closedStdioReachesJavaAsDevNull(@TempDir Path dir) throws Exception {
        Path launcher = launcherWithStandInJdk(dir);
        for (Set<Integer> closed : StdioProbe.CLOSINGS) {
            ProcessBuilder pb = StdioProbe.withClosed(closed, List.of(launcher.toString(), "run", "--", "true"));
            pb.environment().put("JAVA_HOME", dir.resolve("jdk").toString());
            pb.environment().put("JBOX_AOT", "off");
            pb.environment().put("REPORT_DIR", dir.toString());
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes()) + new String(p.getErrorStream().readAllBytes());
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), "closed " + closed + ": " + out);
            assertEquals(StdioProbe.expected(closed), StdioProbe.kinds(StdioProbe.report(dir)), "closed " + closed);
        }
    }

    /** The script, a JDK 25 whose java only reports, and a distribution that needs no build. */
    private static Path launcherWithStandInJdk(Path dir) throws Exception {
        Path launcher = Files.copy(SCRIPT, dir.resolve("jbox"));
        Files.createDirectories(dir.resolve("target/dist/lib"));
        Files.createFile(dir.resolve("target/dist/.built"));
        Path java = dir.resolve("jdk/bin/java");
        Files.createDirectories(java.getParent());
        Files.writeString(dir.resolve("jdk/release"), "JAVA_VERSION=\"25.0.1\"\n");
        Files.writeString(java, "#!/bin/sh\n" + StdioProbe.workload("\"$REPORT_DIR\"").get(2) + "\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return launcher;
    }
}
