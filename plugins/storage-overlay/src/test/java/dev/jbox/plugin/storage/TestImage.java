package dev.jbox.plugin.storage;

import dev.jbox.plugin.storage.layer.Compression;
import dev.jbox.plugin.storage.oci.Descriptor;
import dev.jbox.plugin.storage.oci.Digest;
import dev.jbox.plugin.storage.oci.ImageConfig;
import dev.jbox.plugin.storage.oci.Json;
import dev.jbox.plugin.storage.oci.Manifest;
import dev.jbox.plugin.storage.oci.MediaTypes;
import dev.jbox.plugin.storage.oci.Platform;
import io.airlift.compress.v3.zstd.ZstdOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An image built by a test: layer blobs, a config and a manifest, in OCI or Docker schema 2 form. */
final class TestImage {
    /** One layer: the blob as stored in a registry and the uncompressed tar it holds. */
    record Layer(byte[] tar, Compression compression, byte[] blob) {
        Digest diffId() { return Digest.of(tar); }
        Digest digest() { return Digest.of(blob); }
    }

    final List<Layer> layers;
    final byte[] config;
    final byte[] manifest;
    final String manifestType;

    private TestImage(List<Layer> layers, byte[] config, byte[] manifest, String manifestType) {
        this.layers = layers;
        this.config = config;
        this.manifest = manifest;
        this.manifestType = manifestType;
    }

    Digest configDigest() { return Digest.of(config); }
    Digest manifestDigest() { return Digest.of(manifest); }

    /** Every blob by digest (config and layers). */
    Map<Digest, byte[]> blobs() {
        Map<Digest, byte[]> all = new LinkedHashMap<>();
        all.put(configDigest(), config);
        for (Layer l : layers) all.put(l.digest(), l.blob());
        return all;
    }

    static Builder builder() {
        return new Builder();
    }

    static final class Builder {
        private final List<Layer> layers = new ArrayList<>();
        private ImageConfig.Config config = new ImageConfig.Config(List.of("PATH=/bin"), null, List.of("/bin/sh"), null, null);
        private boolean docker;
        private String architecture = Platform.current().architecture();

        Builder layer(byte[] tar) { return layer(tar, Compression.GZIP); }

        Builder layer(byte[] tar, Compression compression) {
            layers.add(new Layer(tar, compression, compress(tar, compression)));
            return this;
        }

        Builder config(List<String> env, List<String> entrypoint, List<String> cmd, String workdir, String user) {
            config = new ImageConfig.Config(env, entrypoint, cmd, workdir, user);
            return this;
        }

        /** Docker schema 2 media types instead of OCI. */
        Builder docker() { docker = true; return this; }

        Builder architecture(String arch) { architecture = arch; return this; }

        TestImage build() {
            List<Digest> diffIds = layers.stream().map(Layer::diffId).toList();
            byte[] configBytes = Json.write(new ImageConfig(architecture, "linux", "2024-05-01T12:00:00Z", config,
                    new ImageConfig.RootFs("layers", diffIds)));
            List<Descriptor> layerDescriptors = layers.stream().map(l -> new Descriptor(layerType(l.compression()), l.digest(), l.blob().length)).toList();
            String type = docker ? MediaTypes.DOCKER_MANIFEST : MediaTypes.OCI_MANIFEST;
            Manifest m = new Manifest(2, type, new Descriptor(docker ? MediaTypes.DOCKER_CONFIG : MediaTypes.OCI_CONFIG,
                    Digest.of(configBytes), configBytes.length), layerDescriptors);
            return new TestImage(List.copyOf(layers), configBytes, Json.write(m), type);
        }

        private String layerType(Compression c) {
            return switch (c) {
                case NONE -> docker ? MediaTypes.DOCKER_LAYER : MediaTypes.OCI_LAYER;
                case GZIP -> docker ? MediaTypes.DOCKER_LAYER_GZIP : MediaTypes.OCI_LAYER_GZIP;
                case ZSTD -> MediaTypes.OCI_LAYER_ZSTD;
            };
        }
    }

    static byte[] compress(byte[] data, Compression c) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (OutputStream z = switch (c) {
                case NONE -> out;
                case GZIP -> new GzipCompressorOutputStream(out);
                case ZSTD -> new ZstdOutputStream(out);
            }) {
                z.write(data);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
