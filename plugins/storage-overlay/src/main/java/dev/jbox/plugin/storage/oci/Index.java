package dev.jbox.plugin.storage.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/** An OCI image index or Docker manifest list: manifests per platform (or per tag, in an OCI layout). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Index(int schemaVersion, String mediaType, List<Descriptor> manifests) {
    public Index {
        manifests = manifests == null ? List.of() : List.copyOf(manifests);
    }
}
