package dev.jbox.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny root filesystem for integration tests, built from Debian's busybox-static: busybox in
 * /bin with a link per applet, the usual top-level directories, and a passwd with root. Built once
 * per JVM (copying busybox into a temp dir), and a fresh copy on request for tests that change it.
 */
public final class TestRootfs {
    private TestRootfs() {}

    private static final Path BUSYBOX = Path.of("/bin/busybox");
    private static Path shared;
    private static final List<Path> built = new CopyOnWriteArrayList<>();

    static {
        // deleteOnExit cannot remove a non-empty directory: remove the whole trees at JVM exit.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> built.forEach(TestRootfs::deleteTree), "jbox-test-rootfs-cleanup"));
    }

    /** The shared, read-only-by-convention root filesystem. */
    public static synchronized Path shared() {
        if (shared == null) shared = build();
        return shared;
    }

    /** A root filesystem of the test's own, to change at will. */
    public static Path fresh() {
        return build();
    }

    private static Path build() {
        Assumptions.assumeTrue(Files.isExecutable(BUSYBOX), "needs /bin/busybox (apt install busybox-static)");
        try {
            // 0755: a non-root sandbox user (--user with --userns=auto) must be able to enter it.
            Path root = Files.createTempDirectory("jbox-rootfs-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            built.add(root);
            for (String d : List.of("bin", "sbin", "usr/bin", "usr/sbin", "etc", "proc", "dev", "sys", "tmp", "root", "home", "var/tmp")) {
                Files.createDirectories(root.resolve(d));
            }
            Files.copy(BUSYBOX, root.resolve("bin/busybox"));
            Files.setPosixFilePermissions(root.resolve("bin/busybox"), PosixFilePermissions.fromString("rwxr-xr-x"));
            Process list = new ProcessBuilder(BUSYBOX.toString(), "--list").start();
            for (String applet : new String(list.getInputStream().readAllBytes()).split("\n")) {
                if (applet.isBlank() || applet.equals("busybox")) continue;
                Path link = root.resolve("bin").resolve(applet);
                if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) Files.createSymbolicLink(link, Path.of("busybox"));
            }
            list.waitFor();
            Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n");
            Files.writeString(root.resolve("etc/group"), "root:x:0:\nnogroup:x:65534:\n");
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException("building the test root filesystem", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Best effort: files a sandbox made under a subordinate uid (--userns=auto) stay behind. */
    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // the tree is in the temp dir; nothing else to do at exit
        }
    }
}
