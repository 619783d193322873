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
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code <runtime dir>/<sandbox id>/net}: the generated resolv.conf and hosts, the helper's log and
 * API socket. Private to the user (0700); the runtime dir may be {@code /tmp/jbox-UID}, so a
 * directory there that is a symlink or someone else's is refused.
 */
record SandboxNetDir(Path path) {
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    static SandboxNetDir create(Path runtimeDir, String sandboxId, int uid) {
        try {
            ownedDirectory(runtimeDir, uid);
            Path sandbox = ownedDirectory(runtimeDir.resolve(sandboxId), uid);
            return new SandboxNetDir(Files.createDirectory(sandbox.resolve("net"), PRIVATE));
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
