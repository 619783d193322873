package dev.jbox.plugin.storage.source;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** Named files of an image archive: a directory or a tar file, addressed by '/'-separated relative names. */
interface ArchiveReader extends AutoCloseable {
    Optional<InputStream> open(String name) throws IOException;

    /** The file's size, or -1 if unknown or absent. */
    long size(String name) throws IOException;

    default byte[] readAll(String name, int limit) throws IOException {
        try (InputStream in = open(name).orElseThrow(() -> new java.nio.file.NoSuchFileException(name))) {
            byte[] bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) throw new IOException(name + " is larger than " + limit + " bytes");
            return bytes;
        }
    }

    @Override
    default void close() throws IOException {}
}
