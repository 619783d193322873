package dev.jbox.plugin.storage;

import dev.jbox.plugin.storage.layer.LayerExtractor;
import dev.jbox.plugin.storage.layer.LayerExtractor.BadLayerException;
import dev.jbox.plugin.storage.store.Trees;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unpacking layer tars into overlay's format, and refusing layers that try to escape. Unprivileged. */
class LayerExtractorTest {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    @TempDir
    Path tmp;
    Path layer;
    Path outside;

    @BeforeEach
    void dirs() throws IOException {
        layer = Files.createDirectory(tmp.resolve("layer"));
        outside = Files.createDirectory(tmp.resolve("outside"));
        Files.writeString(outside.resolve("victim"), "original");
    }

    @AfterEach
    void cleanup() {
        Trees.delete(layer); // 0555 dirs and device nodes
    }

    private LayerExtractor.Stats extract(TarBuilder tar) throws IOException {
        return LayerExtractor.extract(new ByteArrayInputStream(tar.build()), layer);
    }

    static int mode(Path p) throws IOException {
        return (int) Files.getAttribute(p, "unix:mode", NOFOLLOW);
    }

    /** A 0/0 character device: overlay's whiteout. */
    static boolean isWhiteout(Path p) throws IOException {
        return Files.exists(p, NOFOLLOW) && (mode(p) & 0170000) == 0020000 && (long) Files.getAttribute(p, "unix:rdev", NOFOLLOW) == 0L;
    }

    static String opaqueXattr(Path dir) throws IOException {
        UserDefinedFileAttributeView v = Files.getFileAttributeView(dir, UserDefinedFileAttributeView.class, NOFOLLOW);
        if (!v.list().contains("overlay.opaque")) return null;
        ByteBuffer b = ByteBuffer.allocate(16);
        v.read("overlay.opaque", b);
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
    }

    @Test
    void whiteoutsBecomeCharDevicesAndOpaqueDirsGetTheUserXattr() throws IOException {
        LayerExtractor.Stats stats = extract(new TarBuilder()
                .dir("etc", 0755).whiteout("etc/gone.conf")
                .dir("data", 0755).opaque("data").file("data/new", "upper")
                .whiteout("toplevel"));
        assertTrue(isWhiteout(layer.resolve("etc/gone.conf")), "etc/gone.conf is a 0/0 char device");
        assertTrue(isWhiteout(layer.resolve("toplevel")));
        assertFalse(Files.exists(layer.resolve("etc/.wh.gone.conf"), NOFOLLOW), "the .wh. marker itself is not stored");
        assertEquals("y", opaqueXattr(layer.resolve("data")));
        assertFalse(Files.exists(layer.resolve("data/.wh..wh..opq"), NOFOLLOW));
        assertEquals("upper", Files.readString(layer.resolve("data/new")));
        assertEquals(2, stats.whiteouts());
        assertEquals(1, stats.opaqueDirs());
    }

    @Test
    void modesTimesLinksAndFifosAreKeptOwnershipIsFlattened() throws IOException {
        extract(new TarBuilder()
                .dir("bin", 0555)
                .file("bin/tool", "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8), 04755)
                .file("secret", "s".getBytes(StandardCharsets.UTF_8), 0600)
                .hardlink("bin/tool-again", "bin/tool")
                .symlink("passwd-link", "/etc/passwd")
                .symlink("rel", "bin/tool")
                .special("fifo", TarConstants.LF_FIFO)
                .special("dev-null", TarConstants.LF_CHR));
        assertEquals(0555, mode(layer.resolve("bin")) & 07777, "directory mode applied after its content");
        assertEquals(04755, mode(layer.resolve("bin/tool")) & 07777, "setuid bit kept");
        assertEquals(0600, mode(layer.resolve("secret")) & 07777);
        assertEquals(TarBuilder.MTIME, Files.getLastModifiedTime(layer.resolve("bin/tool")).toInstant());
        assertEquals(TarBuilder.MTIME, Files.getLastModifiedTime(layer.resolve("bin"), NOFOLLOW).toInstant());
        assertEquals(Files.getAttribute(layer.resolve("bin/tool"), "unix:ino"), Files.getAttribute(layer.resolve("bin/tool-again"), "unix:ino"));
        assertEquals(Path.of("/etc/passwd"), Files.readSymbolicLink(layer.resolve("passwd-link")));
        assertEquals(0010000, mode(layer.resolve("fifo")) & 0170000, "FIFO created");
        assertFalse(Files.exists(layer.resolve("dev-null"), NOFOLLOW), "device nodes cannot be created unprivileged: skipped");
        int me = (int) Files.getAttribute(layer, "unix:uid");
        assertEquals(me, (int) Files.getAttribute(layer.resolve("bin/tool"), "unix:uid"), "owned by the invoking user, not uid 1234");
    }

    @Test
    void dotDotEntriesAreRefused() {
        BadLayerException e = assertThrows(BadLayerException.class, () -> extract(new TarBuilder().file("../outside/victim", "pwned")));
        assertTrue(e.getMessage().contains("'..'"), e.getMessage());
        assertThrows(BadLayerException.class, () -> extract(new TarBuilder().file("a/../../outside/victim", "pwned")));
        assertUntouched();
    }

    @Test
    void absolutePathsAreRefused() {
        BadLayerException e = assertThrows(BadLayerException.class,
                () -> extract(new TarBuilder().file(outside.resolve("victim").toString(), "pwned")));
        assertTrue(e.getMessage().contains("absolute"), e.getMessage());
        assertUntouched();
    }

    @Test
    void entriesBelowASymlinkAreRefusedAbsoluteOrRelative() {
        BadLayerException abs = assertThrows(BadLayerException.class, () -> extract(new TarBuilder()
                .symlink("evil", outside.toString()).file("evil/victim", "pwned")));
        assertTrue(abs.getMessage().contains("symlink"), abs.getMessage());
        assertDoesNotEscape(new TarBuilder().symlink("up", "../outside").file("up/victim", "pwned"));
        assertDoesNotEscape(new TarBuilder().symlink("up", "..").file("up/outside/victim", "pwned"));
        assertDoesNotEscape(new TarBuilder().symlink("up", "..").opaque("up/outside"));
        assertDoesNotEscape(new TarBuilder().symlink("up", "..").whiteout("up/outside/victim"));
        assertDoesNotEscape(new TarBuilder().symlink("d", "/").dir("d/etc", 0777));
        assertUntouched();
    }

    /** Extracts into a fresh layer directory and expects a refusal. */
    private void assertDoesNotEscape(TarBuilder tar) {
        try {
            Trees.delete(layer);
            Files.createDirectories(layer);
            assertThrows(BadLayerException.class, () -> extract(tar));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aSymlinkIsReplacedNeverWrittenThrough() throws IOException {
        extract(new TarBuilder().symlink("f", outside.resolve("victim").toString()).file("f", "layer content"));
        assertFalse(Files.isSymbolicLink(layer.resolve("f")));
        assertEquals("layer content", Files.readString(layer.resolve("f")));
        assertUntouched();
    }

    @Test
    void hardLinksMustPointInsideTheLayer() {
        assertThrows(BadLayerException.class, () -> extract(new TarBuilder().hardlink("h", "../outside/victim")));
        assertThrows(BadLayerException.class, () -> extract(new TarBuilder().hardlink("h", outside.resolve("victim").toString())));
        assertThrows(BadLayerException.class, () -> extract(new TarBuilder().symlink("evil", outside.toString()).hardlink("h", "evil/victim")));
        assertThrows(BadLayerException.class, () -> extract(new TarBuilder().hardlink("h", "not/in/layer")));
        assertUntouched();
    }

    @Test
    void laterEntriesReplaceEarlierOnesAndLongNamesWork() throws IOException {
        String longName = "d/" + "x".repeat(200) + "/" + "y".repeat(150);
        extract(new TarBuilder().file("a", "file").dir("a", 0755).file("a/inner", "in").file(longName, "long"));
        assertTrue(Files.isDirectory(layer.resolve("a"), NOFOLLOW));
        assertEquals("long", Files.readString(layer.resolve(longName)));
    }

    @Test
    void userXattrsFromPaxHeadersAreKeptAndTheRestLeftOutWithOneWarning() throws IOException {
        String capability = "\u0001\u0000\u0000\u0002";  // what SCHILY.xattr.security.capability looks like as text
        LayerExtractor.Stats stats = extract(new TarBuilder()
                .dirWithPax("etc", 0555, java.util.Map.of("SCHILY.xattr.user.origin", "base image"))
                .fileWithPax("etc/mime", "x", java.util.Map.of("SCHILY.xattr.user.mime_type", "text/plain",
                        "LIBARCHIVE.xattr.user.binary", java.util.Base64.getEncoder().encodeToString(new byte[] {0, (byte) 0xff, 7})))
                .fileWithPax("ping", "elf", java.util.Map.of("SCHILY.xattr.security.capability", capability,
                        "SCHILY.xattr.trusted.md5", "abc", "SCHILY.xattr.user.overlay.opaque", "y"))
                .fileWithPax("ping2", "elf", java.util.Map.of("SCHILY.xattr.security.capability", capability)));
        assertEquals("text/plain", xattr(layer.resolve("etc/mime"), "mime_type"));
        assertEquals("base image", xattr(layer.resolve("etc"), "origin"));
        ByteBuffer binary = ByteBuffer.allocate(8);
        Files.getFileAttributeView(layer.resolve("etc/mime"), UserDefinedFileAttributeView.class, NOFOLLOW).read("binary", binary);
        assertEquals(java.util.List.of((byte) 0, (byte) 0xff, (byte) 7), java.util.List.of(binary.get(0), binary.get(1), binary.get(2)), "exact bytes");
        assertEquals(0444, mode(layer.resolve("etc/mime")) & 07777, "set before the file was made read-only");
        assertEquals(java.util.List.of(), Files.getFileAttributeView(layer.resolve("ping"), UserDefinedFileAttributeView.class, NOFOLLOW).list(),
                "no overlay metadata smuggled in by the layer");
        assertEquals(3, stats.xattrs());
        assertEquals(java.util.Map.of("security.capability", 2, "trusted.md5", 1, "user.overlay.opaque", 1), stats.skippedXattrs());
        assertEquals(java.util.Optional.of("extended attributes left out: security.capability (2), trusted.md5 (1), user.overlay.opaque (1);"
                + " an unprivileged user cannot set them on the host's filesystem (only user.* ones are kept, and not the overlay's own)"),
                stats.xattrWarning());
        assertEquals(java.util.Optional.empty(), extractFresh(new TarBuilder().file("plain", "x")).xattrWarning());
    }

    private LayerExtractor.Stats extractFresh(TarBuilder tar) throws IOException {
        Path other = Files.createDirectory(tmp.resolve("other"));
        try {
            return LayerExtractor.extract(new ByteArrayInputStream(tar.build()), other);
        } finally {
            Trees.delete(other);
        }
    }

    private static String xattr(Path p, String name) throws IOException {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class, NOFOLLOW);
        ByteBuffer b = ByteBuffer.allocate(view.size(name));
        view.read(name, b);
        return new String(b.array(), StandardCharsets.UTF_8);
    }

    private void assertUntouched() {
        try {
            assertEquals("original", Files.readString(outside.resolve("victim")));
            try (var s = Files.list(outside)) {
                assertEquals(1, s.count(), "nothing was created outside the layer");
            }
            assertEquals(java.util.Set.of("layer", "outside"), java.util.Set.copyOf(Files.list(tmp).map(p -> p.getFileName().toString()).toList()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
