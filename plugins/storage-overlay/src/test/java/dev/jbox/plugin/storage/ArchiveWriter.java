package dev.jbox.plugin.storage;

import dev.jbox.plugin.storage.oci.Descriptor;
import dev.jbox.plugin.storage.oci.Index;
import dev.jbox.plugin.storage.oci.Json;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Writes test images as archives the way the tools do: OCI layouts and {@code docker save} files. */
final class ArchiveWriter {
    private ArchiveWriter() {}

    /** An OCI image layout directory holding {@code image}, its index entry tagged {@code tag}. */
    static Path ociLayout(Path dir, TestImage image, String tag) throws IOException {
        Files.createDirectories(dir.resolve("blobs/sha256"));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        for (Map.Entry<dev.jbox.plugin.storage.oci.Digest, byte[]> blob : image.blobs().entrySet()) {
            Files.write(dir.resolve("blobs/sha256/" + blob.getKey().hex()), blob.getValue());
        }
        Files.write(dir.resolve("blobs/sha256/" + image.manifestDigest().hex()), image.manifest);
        Index index = new Index(2, null, List.of(new Descriptor(image.manifestType, image.manifestDigest(), image.manifest.length, null,
                Map.of("org.opencontainers.image.ref.name", tag))));
        Files.write(dir.resolve("index.json"), Json.write(index));
        return dir;
    }

    /** A {@code docker save} archive: manifest.json, the config as HEX.json, uncompressed layers as ID/layer.tar. */
    static Path dockerSave(Path file, TestImage image, String repoTag, boolean linkLastLayer) throws IOException {
        List<String> layerNames = new ArrayList<>();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(file))) {
            String configName = image.configDigest().hex() + ".json";
            put(tar, configName, image.config);
            for (int i = 0; i < image.layers.size(); i++) {
                String dir = "layer" + i;
                boolean link = linkLastLayer && i == image.layers.size() - 1;
                if (link) {
                    // docker save stores a layer shared with another image once, and links to it
                    put(tar, "shared/layer.tar", image.layers.get(i).tar());
                    TarArchiveEntry e = new TarArchiveEntry(dir + "/layer.tar", TarArchiveEntry.LF_SYMLINK);
                    e.setLinkName("../shared/layer.tar");
                    tar.putArchiveEntry(e);
                    tar.closeArchiveEntry();
                } else {
                    put(tar, dir + "/layer.tar", image.layers.get(i).tar());
                }
                layerNames.add(dir + "/layer.tar");
            }
            String manifest = "[{\"Config\":\"" + configName + "\",\"RepoTags\":[\"" + repoTag + "\"],\"Layers\":"
                    + new String(Json.write(layerNames), StandardCharsets.UTF_8) + "}]";
            put(tar, "manifest.json", manifest.getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }

    /** Packs a directory's files into a tar (an OCI layout as an {@code oci-archive}). */
    static Path tarDirectory(Path dir, Path file) throws IOException {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(file)); Stream<Path> files = Files.walk(dir)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Path p : files.filter(Files::isRegularFile).toList()) put(tar, dir.relativize(p).toString(), Files.readAllBytes(p));
        }
        return file;
    }

    static Path gzip(Path file, Path out) throws IOException {
        try (OutputStream z = new org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream(Files.newOutputStream(out))) {
            Files.copy(file, z);
        }
        return out;
    }

    private static void put(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(content.length);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
    }
}
