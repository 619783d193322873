package dev.jbox.plugin.storage.source;

import dev.jbox.plugin.storage.oci.Digest;
import dev.jbox.plugin.storage.oci.Manifest;

/** The image manifest chosen for this machine: its exact bytes (as stored), their digest, and its content. */
public record ResolvedManifest(byte[] bytes, Digest digest, Manifest manifest) {
    public static ResolvedManifest of(byte[] bytes, Manifest manifest) {
        return new ResolvedManifest(bytes, Digest.of(bytes), manifest);
    }
}
