package dev.jbox.plugin.storage.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/** Directory-tree operations that never follow symlinks. */
public final class Trees {
    private Trees() {}

    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    /**
     * Deletes {@code path} and everything below it. Directories without owner rwx (image layers have
     * 0555 dirs; overlay leaves a mode-0 {@code work/work}) are opened up first.
     */
    public static void delete(Path path) {
        try {
            deleteTree(path);
        } catch (NoSuchFileException gone) {
            // already deleted: the goal is reached
        } catch (IOException e) {
            throw new UncheckedIOException("deleting " + path, e);
        }
    }

    /**
     * Deletes a tree so that it disappears at once from where readers look: it is first renamed
     * into {@code trash} (same filesystem), then deleted from there.
     */
    public static void deleteAtomically(Path path, Path trash) {
        if (!Files.exists(path, NOFOLLOW)) return;
        Path target = trash.resolve("deleted-" + path.getFileName() + "-" + Long.toHexString(System.nanoTime()));
        try {
            Files.move(path, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException gone) {
            return;
        } catch (IOException e) {
            throw new UncheckedIOException("moving " + path + " aside to delete it", e);
        }
        delete(target);
    }

    private static void deleteTree(Path path) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class, NOFOLLOW);
        if (attrs.isDirectory()) {
            makeOwnerAccessible(path);
            try (DirectoryStream<Path> children = Files.newDirectoryStream(path)) {
                for (Path child : children) deleteTree(child);
            }
        }
        Files.delete(path);
    }

    /** {@code dir} is known (lstat) to be a directory: chmod by path, since a fd-based chmod cannot open a mode-0 dir. */
    private static void makeOwnerAccessible(Path dir) throws IOException {
        int mode = (int) Files.getAttribute(dir, "unix:mode", NOFOLLOW);
        if ((mode & 0700) != 0700) Files.setAttribute(dir, "unix:mode", (mode & 07777) | 0700);
    }

    /** Bytes of regular files below {@code dir} (what {@code du --apparent-size} counts, roughly). */
    public static long size(Path dir) {
        try (var files = Files.walk(dir)) {
            return files.mapToLong(p -> {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW);
                    return a.isRegularFile() ? a.size() : 0;
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }
}
