package dev.jbox.plugin.storage;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

/** Builds layer tars in memory, including the hostile ones the extractor must refuse. */
final class TarBuilder {
    static final Instant MTIME = Instant.parse("2024-05-01T12:00:00Z");

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar;

    TarBuilder() {
        tar = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    TarBuilder dir(String name, int mode) {
        TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
        e.setMode(TarArchiveEntry.DEFAULT_DIR_MODE & ~07777 | mode);
        return put(e, null);
    }

    TarBuilder file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8), 0644);
    }

    TarBuilder file(String name, byte[] content, int mode) {
        TarArchiveEntry e = new TarArchiveEntry(name, true); // keep a leading '/', hostile layers have them
        e.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~07777 | mode);
        e.setSize(content.length);
        e.setUserId(1234); // ownership is flattened on extraction
        e.setGroupId(1234);
        return put(e, content);
    }

    /** A file with PAX headers, e.g. {@code SCHILY.xattr.user.mime=text/plain} as GNU tar --xattrs and docker write them. */
    TarBuilder fileWithPax(String name, String content, java.util.Map<String, String> pax) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~07777 | 0444);
        e.setSize(bytes.length);
        pax.forEach(e::addPaxHeader);
        return put(e, bytes);
    }

    /** A directory with PAX headers. */
    TarBuilder dirWithPax(String name, int mode, java.util.Map<String, String> pax) {
        TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
        e.setMode(TarArchiveEntry.DEFAULT_DIR_MODE & ~07777 | mode);
        pax.forEach(e::addPaxHeader);
        return put(e, null);
    }

    TarBuilder hostFile(String name, Path source, int mode) {
        try {
            return file(name, Files.readAllBytes(source), mode);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything below {@code dir} (directories, files, symlinks), as a layer holding that tree. */
    TarBuilder tree(Path dir) {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted().toList()) {
                String name = dir.relativize(p).toString();
                if (name.isEmpty()) continue;
                if (Files.isSymbolicLink(p)) symlink(name, Files.readSymbolicLink(p).toString());
                else if (Files.isDirectory(p)) dir(name, 0755);
                else hostFile(name, p, Files.isExecutable(p) ? 0755 : 0644);
            }
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    TarBuilder symlink(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
        e.setLinkName(target);
        return put(e, null);
    }

    TarBuilder hardlink(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK);
        e.setLinkName(target);
        return put(e, null);
    }

    TarBuilder special(String name, byte type) {
        TarArchiveEntry e = new TarArchiveEntry(name, type);
        e.setMode(0644);
        return put(e, null);
    }

    /** {@code dir/.wh.name}: deletes {@code dir/name} of lower layers. */
    TarBuilder whiteout(String path) {
        int slash = path.lastIndexOf('/');
        return file(path.substring(0, slash + 1) + ".wh." + path.substring(slash + 1), new byte[0], 0644);
    }

    /** {@code dir/.wh..wh..opq}: hides everything lower layers have in {@code dir}. */
    TarBuilder opaque(String dir) {
        return file(dir + "/.wh..wh..opq", new byte[0], 0644);
    }

    private TarBuilder put(TarArchiveEntry e, byte[] content) {
        try {
            e.setModTime(FileTime.from(MTIME));
            tar.putArchiveEntry(e);
            if (content != null) tar.write(content);
            tar.closeArchiveEntry();
            return this;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    byte[] build() {
        try {
            tar.finish();
            tar.close();
            return bytes.toByteArray();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
