package dev.jbox.plugin.storage.source;

import dev.jbox.plugin.storage.oci.Descriptor;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where an image comes from: a registry or an archive. A source hands out the manifest for this
 * machine (already chosen from an index and checked against its digest) and raw blob streams,
 * which the installer verifies while it stores them.
 */
public interface ImageSource extends AutoCloseable {
    /** For messages: {@code registry 127.0.0.1:5000/app:1}, {@code OCI layout /tmp/x}. */
    String describe();

    ResolvedManifest manifest() throws IOException;

    /** The blob's bytes, unverified (the caller hashes them). */
    InputStream open(Descriptor blob) throws IOException;

    @Override
    default void close() throws IOException {}
}
