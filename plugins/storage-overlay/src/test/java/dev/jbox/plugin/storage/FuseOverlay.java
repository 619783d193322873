package dev.jbox.plugin.storage;

import dev.jbox.JboxException;
import dev.jbox.plugin.storage.mount.KernelRelease;
import dev.jbox.plugin.storage.mount.LiveHost;
import dev.jbox.plugin.storage.mount.MounterChoice;
import dev.jbox.plugin.storage.store.StoreLayout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What the fuse-overlayfs tests need: the host check, the helper processes of a store, a jbox to SIGKILL. */
final class FuseOverlay {
    private FuseOverlay() {}

    /**
     * fuse-overlayfs installed and /dev/fuse usable. /dev/fuse is 0600 on the CI machine (udev makes
     * it 0666 on ordinary hosts, and there .ci/run does the same); rootless fuse needs it.
     */
    static void assumeUsable() {
        assumeTrue(new LiveHost(new StoreLayout(Path.of("/nonexistent"))).program("fuse-overlayfs").isPresent(),
                "fuse-overlayfs is not installed (apt install fuse-overlayfs)");
        Optional<JboxException> device = new LiveHost(new StoreLayout(Path.of("/nonexistent"))).fuseDeviceProblem();
        assumeTrue(device.isEmpty(), () -> device.get().userMessage() + ": .ci/run makes /dev/fuse 0666 as udev does on ordinary hosts");
    }

    /** Pids of fuse-overlayfs processes working on {@code store} (their command line names its layers). */
    static List<Long> processesFor(Path store) throws IOException {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                List<String> argv = cmdline(proc);
                if (!argv.isEmpty() && argv.getFirst().endsWith("fuse-overlayfs") && argv.stream().anyMatch(a -> a.contains(store.toString()))) {
                    pids.add(Long.parseLong(proc.getFileName().toString()));
                }
            }
        }
        return pids;
    }

    private static List<String> cmdline(Path proc) {
        try {
            String text = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
            return text.isEmpty() ? List.of() : Arrays.asList(text.split("\0"));
        } catch (IOException gone) {
            return List.of();
        }
    }

    /** The real host, except that the kernel "refused" overlayfs (as on Linux < 5.11). */
    static MounterChoice.Host hostWhereTheKernelRefuses() {
        LiveHost live = new LiveHost(new StoreLayout(Path.of("/nonexistent")));
        return new MounterChoice.Host() {
            public KernelRelease kernel() { return live.kernel(); }
            public MounterChoice.KernelOverlay kernelOverlay() { return new MounterChoice.KernelOverlay(false, "mount: EPERM (Operation not permitted)"); }
            public Optional<Path> program(String nameOrPath) { return live.program(nameOrPath); }
            public Optional<JboxException> fuseDeviceProblem() { return live.fuseDeviceProblem(); }
        };
    }

    /** Runs a fuse-overlayfs sandbox in another JVM ({@link FuseHolder}), SIGKILLs that JVM; returns {helper pid, sandbox pid}. */
    static long[] killHolder(Path store, String ref) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process jbox = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", classpath, FuseHolder.class.getName(), store.toString(), ref)
                .redirectError(Redirect.INHERIT).start();
        String line;
        try (var out = new BufferedReader(new InputStreamReader(jbox.getInputStream()))) {
            line = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    return null;
                }
            }).get(60, TimeUnit.SECONDS);
        } finally {
            jbox.destroyForcibly();  // SIGKILL: no cleanup code runs in that JVM
            jbox.waitFor();
        }
        assertNotNull(line, "the holder JVM printed no pids");
        return Arrays.stream(line.split(" ")).mapToLong(Long::parseLong).toArray();
    }

    static void awaitEnded(long pid, String message) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) Thread.sleep(20);
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), message + ": " + pid);
    }
}
