package dev.jbox.plugin.storage.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.Map;

/** An OCI content descriptor: what a manifest or index says about a blob it points to. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Descriptor(String mediaType, Digest digest, long size, Platform platform, Map<String, String> annotations) {
    public Descriptor {
        if (digest == null) throw new dev.jbox.JboxException("a descriptor without a digest (media type " + mediaType + ")");
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    public Descriptor(String mediaType, Digest digest, long size) {
        this(mediaType, digest, size, null, null);
    }

    public String annotation(String key) {
        return annotations.get(key);
    }
}
