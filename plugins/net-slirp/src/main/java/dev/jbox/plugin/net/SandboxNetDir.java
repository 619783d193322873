package dev.jbox.plugin.net;

import dev.jbox.JboxException;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code <runtime dir>/<sandbox id>/net}: the generated resolv.conf and hosts, the helper's log and
 * API socket. Private to the user (0700); the runtime dir may be {@code /tmp/jbox-UID}, so a
 * directory there that is a symlink or someone else's is refused.
 *
 * <p>A jbox that is SIGKILLed cannot remove its directory, and there is no daemon to do it: each
 * directory names its owner (pid and start time of the JVM), and the next launch with networking
 * removes those whose owner is gone ({@link #sweepStale}).
 */
record SandboxNetDir(Path path) {
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    static final String NAME = "net", OWNER = "owner";

    static SandboxNetDir create(Path runtimeDir, String sandboxId, int uid) {
        try {
            ownedDirectory(runtimeDir, uid);
            Path sandbox = ownedDirectory(runtimeDir.resolve(sandboxId), uid);
            SandboxNetDir dir = new SandboxNetDir(Files.createDirectory(sandbox.resolve(NAME), PRIVATE));
            Files.writeString(dir.resolve(OWNER), Owner.current().toString());
            return dir;
        } catch (IOException e) {
            throw new JboxException("creating the network files' directory under " + runtimeDir + ": " + e,
                    "set XDG_RUNTIME_DIR to a directory of yours");
        }
    }

    private static Path ownedDirectory(Path dir, int uid) throws IOException {
        try {
            Files.createDirectory(dir, PRIVATE);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // Checked below.
        }
        Object owner = Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || !owner.equals(uid)) {
            throw new IOException(dir + " is not a directory of uid " + uid);
        }
        return dir;
    }

    /** Removes the directories of sandboxes whose jbox died without cleaning up. */
    static void sweepStale(Path runtimeDir) {
        List<Path> sandboxes;
        try (Stream<Path> list = Files.list(runtimeDir)) {
            sandboxes = list.toList();
        } catch (IOException e) {
            return;  // No runtime dir yet: nothing to sweep.
        }
        for (Path sandbox : sandboxes) {
            Path owner = sandbox.resolve(NAME).resolve(OWNER);
            try {
                if (Files.isRegularFile(owner, LinkOption.NOFOLLOW_LINKS) && !Owner.parse(Files.readString(owner)).isAlive()) {
                    new SandboxNetDir(sandbox.resolve(NAME)).delete();
                }
            } catch (IOException | RuntimeException e) {
                // Being written or removed by another launch right now, or unreadable: leave it.
            }
        }
    }

    /** The JVM that made a directory: a pid alone could be reused by now, pid and start time cannot. */
    record Owner(long pid, long startMillis) {
        static Owner current() {
            ProcessHandle self = ProcessHandle.current();
            return new Owner(self.pid(), startOf(self));
        }

        static Owner parse(String text) {
            String[] f = text.strip().split(" ");
            return new Owner(Long.parseLong(f[0]), Long.parseLong(f[1]));
        }

        boolean isAlive() {
            return ProcessHandle.of(pid).map(h -> h.isAlive() && startOf(h) == startMillis).orElse(false);
        }

        private static long startOf(ProcessHandle h) {
            return h.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
        }

        @Override
        public String toString() {
            return pid + " " + startMillis;
        }
    }

    Path resolve(String name) {
        return path.resolve(name);
    }

    /** A file the sandbox reads: world-readable whatever the umask, as the workload may not be root. */
    Path writeReadable(String name, String content) throws IOException {
        Path file = Files.writeString(path.resolve(name), content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return file;
    }

    /** Removes the directory with everything in it, then the sandbox's directory if no one else uses it. */
    void delete() {
        try (Stream<Path> all = Files.walk(path)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            Files.deleteIfExists(path.getParent());
        } catch (DirectoryNotEmptyException | NoSuchFileException e) {
            // Another plugin still keeps files for this sandbox, or it is gone already.
        } catch (IOException e) {
            System.getLogger("jbox").log(System.Logger.Level.WARNING, "removing " + path + ": " + e);
        }
    }
}
