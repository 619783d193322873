package dev.jbox.plugin.storage.layer;

import dev.jbox.plugin.storage.layer.EntryPath.UnsafeEntryException;
import dev.jbox.plugin.storage.store.Trees;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Unpacks one layer tar into an empty directory in overlayfs's own format:
 * <ul>
 * <li>{@code .wh.NAME} becomes a 0/0 character device NAME (overlay whiteout);
 * <li>{@code .wh..wh..opq} sets {@code user.overlay.opaque=y} on its directory (the {@code userxattr}
 *     spelling of {@code trusted.overlay.opaque}, which an unprivileged mount reads);
 * <li>every entry is placed by walking its parent path component by component, refusing symlinks
 *     and non-directories on the way, so nothing is ever written outside {@code root}; symlinks are
 *     created as they are, never written through; hard links must point inside the layer;
 * <li>file modes (with setuid/setgid/sticky) and mtimes are kept; ownership is not: everything
 *     belongs to the invoking user, who is root inside the sandbox (as podman's
 *     {@code ignore_chown_errors}); device nodes cannot be created unprivileged and are skipped;
 * <li>extended attributes from PAX headers ({@link LayerXattrs}) are set on files and directories
 *     when they are {@code user.*} ones; the others cannot be set unprivileged on the host's
 *     filesystem and are left out, named in {@link Stats#xattrWarning()}.
 * </ul>
 * The directory must be private to the caller while this runs (a tmp/ dir): checks and uses are
 * then free of races.
 */
public final class LayerExtractor {
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
    private static final String WHITEOUT_PREFIX = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";
    /** The xattr overlayfs reads for an opaque directory when mounted with {@code userxattr}. */
    public static final String OPAQUE_XATTR = "overlay.opaque";

    /**
     * What was unpacked; {@code skippedDevices} names device nodes left out, {@code skippedXattrs}
     * counts the extended attributes left out by name.
     */
    public record Stats(int files, int directories, int symlinks, int hardLinks, int whiteouts, int opaqueDirs, List<String> skippedDevices,
                        int xattrs, java.util.SortedMap<String, Integer> skippedXattrs) {
        /** The one warning a layer gets for the extended attributes it could not keep, if any. */
        public java.util.Optional<String> xattrWarning() {
            if (skippedXattrs.isEmpty()) return java.util.Optional.empty();
            String names = String.join(", ", skippedXattrs.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")").toList());
            return java.util.Optional.of("extended attributes left out: " + names + "; an unprivileged user cannot set them on the host's"
                    + " filesystem (only user.* ones are kept, and not the overlay's own)");
        }
    }

    /** A layer that breaks the rules (escapes, links outside); the message names the entry. */
    public static final class BadLayerException extends RuntimeException {
        public BadLayerException(String message) {
            super(message);
        }
    }

    private final Path root;
    /** Directories whose path from root is known to be symlink-free; cleared when anything is replaced. */
    private final Set<Path> checkedDirs = new HashSet<>();
    /** Directory entries by path (a repeated entry overrides), in creation order: parents first. */
    private final LinkedHashMap<Path, TarArchiveEntry> directoryMetadata = new LinkedHashMap<>();
    private final List<String> skippedDevices = new ArrayList<>();
    private final java.util.SortedMap<String, Integer> skippedXattrs = new java.util.TreeMap<>();
    private int files, directories, symlinks, hardLinks, whiteouts, opaqueDirs, xattrs;

    private LayerExtractor(Path root) {
        this.root = root;
    }

    /** Unpacks the uncompressed tar {@code tar} into the existing, empty, private directory {@code root}. */
    public static Stats extract(InputStream tar, Path root) throws IOException {
        LayerExtractor x = new LayerExtractor(root.toAbsolutePath());
        x.checkedDirs.add(x.root);
        TarArchiveInputStream in = new TarArchiveInputStream(tar, StandardCharsets.UTF_8.name());
        TarArchiveEntry entry;
        while ((entry = in.getNextEntry()) != null) {
            try {
                x.apply(entry, in);
            } catch (UnsafeEntryException e) {
                throw new BadLayerException("entry " + entry.getName() + ": " + e.getMessage());
            }
        }
        // Directory modes and times last (a 0555 directory would refuse the entries below it; each entry
        // written into a directory changes its mtime), children before parents.
        for (var dir : x.directoryMetadata.sequencedEntrySet().reversed()) {
            if (Files.isDirectory(dir.getKey(), NOFOLLOW)) setModeAndTime(dir.getKey(), dir.getValue()); // unless replaced later
        }
        return new Stats(x.files, x.directories, x.symlinks, x.hardLinks, x.whiteouts, x.opaqueDirs, List.copyOf(x.skippedDevices),
                x.xattrs, java.util.Collections.unmodifiableSortedMap(x.skippedXattrs));
    }

    private void apply(TarArchiveEntry entry, InputStream data) throws IOException {
        EntryPath path = EntryPath.parse(entry.getName());
        if (path.isRoot()) return; // the layer root's own metadata is the mount point's business
        String name = path.fileName();
        if (name.equals(OPAQUE)) {
            markOpaque(path.parent());
        } else if (name.startsWith(WHITEOUT_PREFIX + WHITEOUT_PREFIX)) {
            // other AUFS metadata (.wh..wh.plnk, .wh..wh.aufs): not part of the image's content
        } else if (name.startsWith(WHITEOUT_PREFIX)) {
            create(path.sibling(name.substring(WHITEOUT_PREFIX.length())), PathSyscalls::whiteout);
            whiteouts++;
        } else if (entry.isDirectory()) {
            Path dir = directory(path);
            checkedDirs.add(dir);
            directoryMetadata.put(dir, entry);
            setXattrs(dir, entry);
            directories++;
        } else if (entry.isSymbolicLink()) {
            Path link = create(path, p -> Files.createSymbolicLink(p, Path.of(entry.getLinkName())));
            PathSyscalls.setMtime(link, entry.getLastModifiedTime());
            skipXattrs(entry);  // Linux keeps user.* attributes off symlinks and special files
            symlinks++;
        } else if (entry.isLink()) {
            Path existing = resolveLinkTarget(entry.getLinkName());
            create(path, p -> Files.createLink(p, existing));
            hardLinks++;
        } else if (entry.isFIFO()) {
            Path fifo = create(path, p -> PathSyscalls.fifo(p, entry.getMode()));
            PathSyscalls.setMtime(fifo, entry.getLastModifiedTime());
            skipXattrs(entry);
            files++;
        } else if (entry.isCharacterDevice() || entry.isBlockDevice()) {
            skippedDevices.add(path.toString());
        } else if (entry.isFile()) {
            Path file = create(path, p -> {
                try (OutputStream out = Files.newOutputStream(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                    data.transferTo(out);
                }
            });
            setXattrs(file, entry);
            setModeAndTime(file, entry);
            files++;
        } else {
            throw new BadLayerException("entry " + entry.getName() + ": unsupported tar entry type '" + (char) entry.getLinkFlag() + "'");
        }
    }

    /** Creates one non-directory entry; makes the file system call that creates it. */
    @FunctionalInterface
    private interface Creator {
        void create(Path target) throws IOException;
    }

    /**
     * Creates {@code path} with {@code creator} below symlink-free parents. Creation never follows
     * a symlink (O_EXCL semantics); if something is in the way, a later tar entry replaces an
     * earlier one: it is removed and creation retried.
     */
    private Path create(EntryPath path, Creator creator) throws IOException {
        Path target = ensureDirectories(path.parent()).resolve(path.fileName());
        try {
            creator.create(target);
        } catch (FileAlreadyExistsException inTheWay) {
            remove(target);
            creator.create(target);
        }
        return target;
    }

    /** A directory entry: an existing directory is kept and merged into; anything else in the way is replaced. */
    private Path directory(EntryPath path) throws IOException {
        Path target = ensureDirectories(path.parent()).resolve(path.fileName());
        try {
            Files.createDirectory(target);
        } catch (FileAlreadyExistsException exists) {
            BasicFileAttributes a = attributes(target);
            if (a == null || !a.isDirectory()) {
                remove(target);
                Files.createDirectory(target);
            }
        }
        return target;
    }

    private void remove(Path target) throws IOException {
        BasicFileAttributes existing = attributes(target);
        if (existing != null && existing.isDirectory()) checkedDirs.clear();
        Trees.delete(target);
    }

    /** Walks {@code dir} from the root, creating missing directories (0755) and refusing anything else. */
    private Path ensureDirectories(EntryPath dir) throws IOException {
        return walk(dir, true);
    }

    /** A hard link's target: inside the layer, already unpacked, not a directory. */
    private Path resolveLinkTarget(String linkName) throws IOException {
        EntryPath target = EntryPath.parse(linkName);
        if (target.isRoot()) throw new UnsafeEntryException("hard link to the layer root");
        Path existing = walk(target.parent(), false).resolve(target.fileName());
        BasicFileAttributes a = attributes(existing);
        if (a == null) throw new UnsafeEntryException("hard link to " + linkName + ", which is not in this layer");
        if (a.isDirectory()) throw new UnsafeEntryException("hard link to the directory " + linkName);
        return existing;
    }

    /**
     * The host path of {@code dir}, reached from the root one component at a time: each must be a
     * real directory (never a symlink); a missing one is created if {@code create}, refused otherwise.
     */
    private Path walk(EntryPath dir, boolean create) throws IOException {
        Path current = root;
        for (String component : dir.components()) {
            current = current.resolve(component);
            if (checkedDirs.contains(current)) continue;
            BasicFileAttributes a = attributes(current);
            String where = root.relativize(current).toString();
            if (a == null && create) {
                Files.createDirectory(current);
                directories++;
            } else if (a == null) {
                throw new UnsafeEntryException(where + " is not a directory of this layer");
            } else if (a.isSymbolicLink()) {
                throw new UnsafeEntryException("its parent " + where + " is a symlink (it is never followed during extraction)");
            } else if (!a.isDirectory()) {
                throw new UnsafeEntryException("its parent " + where + " is not a directory");
            }
            checkedDirs.add(current);
        }
        return current;
    }

    private void markOpaque(EntryPath dir) throws IOException {
        Path d = ensureDirectories(dir);
        Files.getFileAttributeView(d, UserDefinedFileAttributeView.class, NOFOLLOW)
                .write(OPAQUE_XATTR, ByteBuffer.wrap(new byte[] {'y'}));
        opaqueDirs++;
    }

    /** Sets the entry's user.* attributes on a file or directory this extraction created; counts the rest as skipped. */
    private void setXattrs(Path p, TarArchiveEntry entry) throws IOException {
        UserDefinedFileAttributeView view = null;
        for (var xattr : LayerXattrs.of(entry).entrySet()) {
            String userName = LayerXattrs.settableUserName(xattr.getKey());
            if (userName == null) {
                skippedXattrs.merge(xattr.getKey(), 1, Integer::sum);
                continue;
            }
            if (view == null) view = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class, NOFOLLOW);
            view.write(userName, ByteBuffer.wrap(xattr.getValue()));
            xattrs++;
        }
    }

    private void skipXattrs(TarArchiveEntry entry) {
        for (String name : LayerXattrs.of(entry).keySet()) skippedXattrs.merge(name, 1, Integer::sum);
    }

    private static BasicFileAttributes attributes(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    /** For a file or directory this extraction created (never a symlink: chmod follows links). */
    private static void setModeAndTime(Path p, TarArchiveEntry entry) {
        PathSyscalls.setMtime(p, entry.getLastModifiedTime());
        PathSyscalls.chmod(p, entry.getMode());
    }
}
