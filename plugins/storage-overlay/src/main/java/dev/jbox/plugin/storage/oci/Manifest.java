package dev.jbox.plugin.storage.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.jbox.JboxException;

import java.util.List;

/** An image manifest (OCI or Docker schema 2): one config blob and the layers, bottom first. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Manifest(int schemaVersion, String mediaType, Descriptor config, List<Descriptor> layers) {
    public Manifest {
        layers = layers == null ? List.of() : List.copyOf(layers);
    }

    /** Checks what jbox relies on; {@code what} names the manifest in the message. */
    public Manifest validated(String what) {
        if (schemaVersion != 2) throw new JboxException(what + ": manifest schema version " + schemaVersion + " is not supported",
                "jbox reads OCI and Docker schema 2 manifests; schema 1 images must be converted (e.g. with skopeo copy)");
        if (config == null) throw new JboxException(what + ": the manifest has no config");
        for (Descriptor layer : layers) {
            if (!MediaTypes.isLayer(layer.mediaType())) {
                throw new JboxException(what + ": layer " + layer.digest() + " has media type " + layer.mediaType() + ", which jbox cannot unpack",
                        "supported: tar, tar+gzip, tar+zstd layers");
            }
        }
        return this;
    }
}
