package dev.jbox.plugin.storage.store;

import dev.jbox.plugin.storage.oci.Digest;
import dev.jbox.plugin.storage.oci.HashingInputStream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Small content-addressed blobs (manifests, configs): verified before they are stored, written to
 * tmp/ and renamed into place, verified again when read, so a torn or altered file is never used.
 */
public final class BlobStore {
    private final StoreLayout layout;

    public BlobStore(StoreLayout layout) {
        this.layout = layout;
    }

    public void put(Digest digest, byte[] content, String what) {
        Digest actual = Digest.of(content);
        if (!actual.equals(digest)) throw HashingInputStream.mismatch(what, digest, actual);
        Path target = layout.blob(digest);
        if (Files.isRegularFile(target)) return;
        try {
            Path tmp = Files.createTempFile(layout.tmp(), "blob-", ".tmp");
            Files.write(tmp, content);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("storing " + what + " as " + target, e);
        }
    }

    /** The blob's bytes, if present and intact. */
    public Optional<byte[]> read(Digest digest) {
        try {
            byte[] content = Files.readAllBytes(layout.blob(digest));
            return Digest.of(content).equals(digest) ? Optional.of(content) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("reading blob " + digest, e);
        }
    }

    public void remove(Digest digest) {
        try {
            Files.deleteIfExists(layout.blob(digest));
        } catch (IOException e) {
            throw new UncheckedIOException("removing blob " + digest, e);
        }
    }
}
