package dev.jbox.plugin.storage.store;

import dev.jbox.JboxException;
import dev.jbox.plugin.storage.layer.Compression;
import dev.jbox.plugin.storage.layer.LayerExtractor;
import dev.jbox.plugin.storage.oci.Digest;
import dev.jbox.plugin.storage.oci.HashingInputStream;
import dev.jbox.plugin.storage.oci.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Extracted layers, keyed by diffID and shared by every image and sandbox. A layer is unpacked into
 * tmp/, both its blob digest and its diffID are checked, its {@code layer.json} is written, and only
 * then is the directory renamed into {@code layers/} — so a layer that is visible is complete and
 * verified. One lock file per layer makes a second pull (any process) wait and then reuse it.
 */
public final class LayerStore {
    /** sha256 of an empty tar archive: the lower layer of an image that has no layers. */
    public static final Digest EMPTY_LAYER = new Digest("5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef");
    /** Characters of the diffID in a layer's short link name (104 bits; a clash is detected, never used). */
    private static final int LINK_LENGTH = 26;

    /** What {@code layer.json} records about a stored layer. */
    public record LayerInfo(Digest diffId, Digest blobDigest, long size, long blobSize) {}

    /** How to read a layer's blob (compressed or not), once. */
    @FunctionalInterface
    public interface BlobOpener {
        InputStream open() throws IOException;
    }

    private final StoreLayout layout;

    public LayerStore(StoreLayout layout) {
        this.layout = layout;
    }

    public boolean has(Digest diffId) {
        return Files.isRegularFile(infoFile(diffId), LinkOption.NOFOLLOW_LINKS);
    }

    public Optional<LayerInfo> info(Digest diffId) {
        try {
            return Optional.of(Json.parse(Files.readAllBytes(infoFile(diffId)), LayerInfo.class, "layer " + diffId));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The layer's lowerdir, relative to {@link StoreLayout#layers()}: {@code l/<26 hex>}. */
    public String linkName(Digest diffId) {
        return layout.links().getFileName() + "/" + diffId.hex().substring(0, LINK_LENGTH);
    }

    public Path diffDir(Digest diffId) {
        return layout.layer(diffId).resolve("diff");
    }

    /**
     * Makes sure the layer is stored: returns at once if it is, waits if another pull is unpacking
     * it, unpacks it otherwise. {@code blobDigest} is what the blob must hash to, {@code label} names
     * the layer in errors; {@code onBytes} sees the blob's bytes as they are read. Returns whether
     * this call unpacked it.
     */
    public boolean ensure(Digest diffId, Digest blobDigest, String label, BlobOpener blob, LongConsumer onBytes, Consumer<String> warnings) {
        if (has(diffId)) {
            ensureLink(diffId);
            return false;
        }
        try (FileLocks.Held _ = FileLocks.exclusive(layout.layerLock(diffId))) {
            if (has(diffId)) {
                ensureLink(diffId);
                return false;
            }
            Path work = layout.newTempDir("layer-" + diffId.shortId());
            try {
                LayerInfo info = unpack(diffId, blobDigest, label, blob, onBytes, work, warnings);
                Files.write(work.resolve("layer.json"), Json.write(info));
                Files.move(work, layout.layer(diffId), StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new JboxException("storing " + label + ": " + e, "check free space and permissions in " + layout.root());
            } finally {
                Trees.delete(work);
            }
            ensureLink(diffId);
            return true;
        }
    }

    private LayerInfo unpack(Digest diffId, Digest blobDigest, String label, BlobOpener blob, LongConsumer onBytes, Path work,
                             Consumer<String> warnings) throws IOException {
        Path diff = Files.createDirectory(work.resolve("diff"));
        try (InputStream raw = blob.open()) {
            HashingInputStream compressed = new HashingInputStream(raw, onBytes);
            HashingInputStream tar = new HashingInputStream(Compression.decompress(compressed));
            LayerExtractor.Stats stats;
            try {
                stats = LayerExtractor.extract(tar, diff);
                tar.drain();
                compressed.drain();
            } catch (IOException | RuntimeException e) {
                // A tampered blob usually breaks decompression first: report the digest if that is the cause.
                compressed.drain();
                Digest actual = compressed.digest();
                if (!actual.equals(blobDigest)) throw HashingInputStream.mismatch(label, blobDigest, actual);
                if (e instanceof LayerExtractor.BadLayerException bad) {
                    throw new JboxException(label + ": " + bad.getMessage(), "the image is malformed or malicious; nothing was stored");
                }
                if (e instanceof JboxException j) throw j;
                throw new JboxException(label + ": cannot unpack: " + e, "the layer is not a valid (compressed) tar archive");
            }
            compressed.verify(blobDigest, label);
            tar.verify(diffId, label + " (uncompressed content, diffID)");
            stats.xattrWarning().ifPresent(warnings);
            return new LayerInfo(diffId, blobDigest, tar.count(), compressed.count());
        }
    }

    /** An empty layer, for images without any (a mount needs one lowerdir). */
    public void ensureEmpty() {
        if (has(EMPTY_LAYER)) {
            ensureLink(EMPTY_LAYER);
            return;
        }
        try (FileLocks.Held _ = FileLocks.exclusive(layout.layerLock(EMPTY_LAYER))) {
            if (!has(EMPTY_LAYER)) {
                Path work = layout.newTempDir("layer-empty");
                Files.createDirectory(work.resolve("diff"));
                Files.write(work.resolve("layer.json"), Json.write(new LayerInfo(EMPTY_LAYER, EMPTY_LAYER, 1024, 1024)));
                Files.move(work, layout.layer(EMPTY_LAYER), StandardCopyOption.ATOMIC_MOVE);
            }
            ensureLink(EMPTY_LAYER);
        } catch (IOException e) {
            throw new UncheckedIOException("creating the empty layer", e);
        }
    }

    /** Creates {@code l/SHORT -> ../HEX/diff} unless present; a link to another layer is an error, never reused. */
    public void ensureLink(Digest diffId) {
        Path link = layout.layers().resolve(linkName(diffId));
        Path target = Path.of("..", diffId.hex(), "diff");
        try {
            if (Files.isSymbolicLink(link)) {
                checkLink(diffId);
                return;
            }
            Path tmp = layout.links().resolve(".tmp-" + diffId.hex() + "-" + Long.toHexString(System.nanoTime()));
            Files.createSymbolicLink(tmp, target);
            Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException raced) {
            checkLink(diffId);
        } catch (IOException e) {
            throw new UncheckedIOException("creating the link " + link, e);
        }
    }

    /** Checks that the layer's short name leads to it (run before every mount). */
    public void checkLink(Digest diffId) {
        Path link = layout.layers().resolve(linkName(diffId));
        try {
            Path actual = Files.readSymbolicLink(link);
            if (!actual.equals(Path.of("..", diffId.hex(), "diff"))) {
                throw new JboxException("layer " + diffId + ": its short name " + link + " points to " + actual,
                        "two layers share a name prefix; remove one of the images");
            }
        } catch (IOException e) {
            throw new JboxException("layer " + diffId + ": reading its short name " + link + ": " + e, "pull the image again");
        }
    }

    /** Removes a layer: link first, then the directory (renamed away, so it vanishes at once). */
    public void remove(Digest diffId) {
        try (FileLocks.Held _ = FileLocks.exclusive(layout.layerLock(diffId))) {
            Path link = layout.layers().resolve(linkName(diffId));
            if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(Path.of("..", diffId.hex(), "diff"))) {
                Files.delete(link);
            }
            Trees.deleteAtomically(layout.layer(diffId), layout.tmp());
        } catch (IOException e) {
            throw new UncheckedIOException("removing layer " + diffId, e);
        }
    }

    private Path infoFile(Digest diffId) {
        return layout.layer(diffId).resolve("layer.json");
    }
}
