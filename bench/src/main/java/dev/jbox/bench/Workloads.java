package dev.jbox.bench;

import dev.jbox.launch.SandboxProcess;
import dev.jbox.spec.NetworkMode;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.testing.TestRootfs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The sandboxes the benchmarks launch: {@code /bin/true} in a root named by a benchmark
 * parameter, so every configuration runs the same workload and differs in one setting only.
 */
final class Workloads {
    private Workloads() {}

    static final String TRUE = "/bin/true";

    /** The root filesystems the benchmarks compare (the {@code root} parameter). */
    enum Root {
        /** jbox's default: the host's / bind-mounted read-only. */
        HOST,
        /** A busybox directory bind-mounted as / (the library-launch target's configuration). */
        DIRECTORY;

        static Root parse(String name) {
            return valueOf(name.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** {@code /bin/true} in {@code root} (null: the host's) with network {@code network}. */
    static SandboxSpec trueIn(Path root, String network) {
        SandboxSpec.Builder b = SandboxSpec.builder().command(TRUE).network(NetworkMode.parse(network));
        if (root != null) b.rootfs(root);
        return b.build();
    }

    /** A busybox root filesystem for this JVM (jbox's test fixture), or null for the host root. */
    static Path rootFor(Root root) {
        return root == Root.DIRECTORY ? TestRootfs.fresh() : null;
    }

    /** Runs the sandbox to its end; a workload that did not exit 0 fails the benchmark. */
    static int runToExit(SandboxProcess process) throws InterruptedException {
        int status = process.waitFor();
        if (status != 0) throw new IllegalStateException(TRUE + " in the sandbox exited " + status);
        return status;
    }

    /** Removes a root filesystem made by {@link #rootFor}; forks must not litter /tmp. */
    static void delete(Path root) {
        if (root == null) return;
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("removing the benchmark root filesystem " + root, e);
        }
    }
}
