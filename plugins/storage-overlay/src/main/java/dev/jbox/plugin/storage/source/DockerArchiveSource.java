package dev.jbox.plugin.storage.source;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jbox.JboxException;
import dev.jbox.plugin.storage.oci.Descriptor;
import dev.jbox.plugin.storage.oci.Digest;
import dev.jbox.plugin.storage.oci.ImageConfig;
import dev.jbox.plugin.storage.oci.Json;
import dev.jbox.plugin.storage.oci.Manifest;
import dev.jbox.plugin.storage.oci.MediaTypes;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code docker save} archive: {@code manifest.json} names a config file and uncompressed layer
 * tars. There is no registry manifest, so one is written (Docker schema 2) with each layer's digest
 * equal to its diffID from the config; every byte is still verified against the config's diffIDs.
 */
final class DockerArchiveSource implements ImageSource {
    private static final int MAX_JSON = 16 << 20;

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Entry(@JsonProperty("Config") String config, @JsonProperty("RepoTags") List<String> repoTags,
                 @JsonProperty("Layers") List<String> layers) {}

    private final ArchiveReader archive;
    private final String label;
    private final String tag;
    private final Map<Digest, String> files = new HashMap<>();

    DockerArchiveSource(ArchiveReader archive, String label, String tag) {
        this.archive = archive;
        this.label = label;
        this.tag = tag;
    }

    @Override
    public String describe() {
        return "docker archive " + label;
    }

    @Override
    public ResolvedManifest manifest() throws IOException {
        Entry entry = choose(List.of(Json.parse(archive.readAll("manifest.json", MAX_JSON), Entry[].class, label + "/manifest.json")));
        byte[] configBytes = archive.readAll(entry.config(), MAX_JSON);
        Digest configDigest = Digest.of(configBytes);
        List<Digest> diffIds = Json.parse(configBytes, ImageConfig.class, label + "/" + entry.config()).diffIds();
        List<String> layerFiles = entry.layers() == null ? List.of() : entry.layers();
        if (diffIds.size() != layerFiles.size()) {
            throw new JboxException(label + ": the config lists " + diffIds.size() + " layers, manifest.json " + layerFiles.size());
        }
        files.put(configDigest, entry.config());
        List<Descriptor> layers = new ArrayList<>();
        for (int i = 0; i < diffIds.size(); i++) {
            files.put(diffIds.get(i), layerFiles.get(i));
            layers.add(new Descriptor(MediaTypes.DOCKER_LAYER, diffIds.get(i), archive.size(layerFiles.get(i))));
        }
        Manifest manifest = new Manifest(2, MediaTypes.DOCKER_MANIFEST,
                new Descriptor(MediaTypes.DOCKER_CONFIG, configDigest, configBytes.length), layers);
        return ResolvedManifest.of(Json.write(manifest), manifest);
    }

    private Entry choose(List<Entry> entries) {
        if (entries.size() == 1) return entries.getFirst();
        List<Entry> tagged = entries.stream()
                .filter(e -> e.repoTags() != null && e.repoTags().stream().anyMatch(t -> t.endsWith(":" + tag)))
                .toList();
        if (tagged.size() == 1) return tagged.getFirst();
        throw new JboxException(label + " holds " + entries.size() + " images; which one is meant by tag " + tag + " is unclear",
                "its tags: " + entries.stream().map(Entry::repoTags).toList());
    }

    @Override
    public InputStream open(Descriptor blob) throws IOException {
        String name = files.get(blob.digest());
        if (name == null) throw new NoSuchFileException(label + ": no file for " + blob.digest());
        return archive.open(name).orElseThrow(() -> new NoSuchFileException(label + ": " + name + " is missing"));
    }

    @Override
    public void close() throws IOException {
        archive.close();
    }
}
