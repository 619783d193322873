package dev.jbox.plugin.storage.store;

import dev.jbox.plugin.storage.oci.Digest;

import java.util.List;

/**
 * One tagged image in the catalog.
 *
 * @param name     {@code registry/repository}, e.g. {@code docker.io/library/busybox}, {@code localhost/mine}
 * @param tag      the tag, e.g. {@code latest}
 * @param manifest digest of the (platform) manifest
 * @param config   digest of the config blob: the image ID
 * @param layers   diffIDs, bottom layer first
 * @param size     uncompressed bytes of all layers
 * @param created  the config's {@code created} time (RFC 3339), or null
 */
public record ImageRecord(String name, String tag, Digest manifest, Digest config, List<Digest> layers, long size, String created) {
    public ImageRecord {
        layers = List.copyOf(layers);
    }

    public String reference() {
        return name + ":" + tag;
    }
}
