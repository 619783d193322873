package dev.jbox.bench;

import dev.jbox.launch.SandboxProcess;
import dev.jbox.spec.NetworkMode;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.spec.SecuritySpec;
import dev.jbox.testing.TestRootfs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The sandboxes the benchmarks launch: {@code /bin/true} in a configuration named by a benchmark
 * parameter. Each configuration differs from jbox's defaults, or from the busybox directory root,
 * in one setting only:
 * <ul>
 *   <li>{@code host-root}: the host's / read-only, own network namespace, default seccomp (jbox's defaults)</li>
 *   <li>{@code dir}: a busybox root filesystem bind-mounted as / (jbox's test fixture)</li>
 *   <li>{@code dir/net=MODE}: that, with {@code --network MODE} (host; slirp and pasta need the net-slirp plugin)</li>
 *   <li>{@code dir/seccomp=unconfined}: that, without the seccomp filter</li>
 *   <li>{@code image}: the same busybox tree as a one-layer image, {@value #IMAGE} (storage-overlay
 *       plugin: kernel overlayfs, a fresh writable layer per sandbox, removed at exit); bench/run
 *       imports it into the benchmarks' own store</li>
 * </ul>
 */
record Workloads(Root root, NetworkMode network, SecuritySpec.Seccomp seccomp) {
    static final String TRUE = "/bin/true";
    static final String IMAGE = "jbox-bench:busybox";

    enum Root { HOST, DIRECTORY, IMAGE }

    static Workloads parse(String config) {
        String[] parts = config.split("/");
        Root root = switch (parts[0]) {
            case "host-root" -> Root.HOST;
            case "dir" -> Root.DIRECTORY;
            case "image" -> Root.IMAGE;
            default -> throw new IllegalArgumentException("unknown sandbox configuration " + config
                    + " (host-root, dir, dir/net=MODE, dir/seccomp=unconfined, image)");
        };
        NetworkMode network = NetworkMode.NONE;
        SecuritySpec.Seccomp seccomp = SecuritySpec.Seccomp.DEFAULT;
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split("=", 2);
            switch (kv[0]) {
                case "net" -> network = NetworkMode.parse(kv[1]);
                case "seccomp" -> seccomp = SecuritySpec.Seccomp.parse(kv[1]);
                default -> throw new IllegalArgumentException("unknown setting " + parts[i] + " in " + config);
            }
        }
        return new Workloads(root, network, seccomp);
    }

    /** The root filesystem (null: the host's) and spec of one benchmark trial; close removes the root. */
    record Trial(Path root, SandboxSpec spec) implements AutoCloseable {
        @Override
        public void close() {
            delete(root);
        }
    }

    /** A fresh trial: its own busybox root filesystem when the configuration has one. */
    Trial trial() {
        Path dir = root == Root.DIRECTORY ? TestRootfs.fresh() : null;
        return new Trial(dir, trueIn(dir));
    }

    /** {@code /bin/true} in {@code dir} (for a directory root), with this configuration's settings. */
    SandboxSpec trueIn(Path dir) {
        SandboxSpec.Builder b = SandboxSpec.builder().command(TRUE).network(network)
                .security(new SecuritySpec(seccomp, Set.of(), Set.of()));
        switch (root) {
            case HOST -> { }
            case DIRECTORY -> b.rootfs(dir);
            case IMAGE -> b.image(IMAGE);
        }
        return b.build();
    }

    /** Runs the sandbox to its end; a workload that did not exit 0 fails the benchmark. */
    static int runToExit(SandboxProcess process) throws InterruptedException {
        int status = process.waitFor();
        if (status != 0) throw new IllegalStateException(TRUE + " in the sandbox exited " + status);
        return status;
    }

    /** Removes a trial's root filesystem: forks must not litter /tmp. */
    private static void delete(Path root) {
        if (root == null) return;
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("removing the benchmark root filesystem " + root, e);
        }
    }
}
