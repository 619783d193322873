package dev.jbox.plugin.storage;

import dev.jbox.spi.PreparedRoot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Mounts a prepared overlay root for real, as the launcher will: inside a new user+mount namespace
 * ({@code unshare -rm}, util-linux), {@code chdir(baseDir)}, kernel overlayfs with {@code userxattr}.
 */
final class Overlay {
    private Overlay() {}

    record Result(int exit, String output) {}

    static void assumeUnprivilegedOverlay() throws Exception {
        Result r = exec(List.of("unshare", "-rm", "true"));
        assumeTrue(r.exit() == 0, "unprivileged user+mount namespaces are not available: " + r.output());
    }

    /** The mount data the launcher passes to mount(2). */
    static String mountData(PreparedRoot.RootMount.Overlay o) {
        return "lowerdir=" + String.join(":", o.lowerDirs()) + ",upperdir=" + o.upperDir() + ",workdir=" + o.workDir() + ",userxattr";
    }

    /** Mounts {@code o} on {@code target} and runs {@code script} (sh) with the mount in place; $M is the mount point. */
    static Result run(PreparedRoot.RootMount.Overlay o, Path target, String script) throws Exception {
        Files.createDirectories(target);
        String inner = "cd '" + o.baseDir() + "' && mount -t overlay overlay -o '" + mountData(o) + "' '" + target + "' && M='" + target + "' && " + script;
        return exec(List.of("unshare", "-rm", "sh", "-c", inner));
    }

    static Result exec(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(command + " did not finish");
        }
        return new Result(p.exitValue(), out);
    }
}
