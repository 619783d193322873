package dev.jbox.plugin.storage.source;

import dev.jbox.JboxException;
import dev.jbox.plugin.storage.oci.Descriptor;
import dev.jbox.plugin.storage.oci.Digest;
import dev.jbox.plugin.storage.oci.HashingInputStream;
import dev.jbox.plugin.storage.oci.Index;
import dev.jbox.plugin.storage.oci.Json;
import dev.jbox.plugin.storage.oci.Manifest;
import dev.jbox.plugin.storage.oci.MediaTypes;
import dev.jbox.plugin.storage.oci.Platform;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * An OCI image layout ({@code oci-layout}, {@code index.json}, {@code blobs/sha256/…}), as a directory
 * or a tar. With several images in {@code index.json}, the one whose
 * {@code org.opencontainers.image.ref.name} is the wanted tag is taken.
 */
final class OciLayoutSource implements ImageSource {
    static final String REF_NAME = "org.opencontainers.image.ref.name";
    private static final int MAX_JSON = 4 << 20;

    private final ArchiveReader archive;
    private final String label;
    private final String tag;
    private final Platform platform;

    OciLayoutSource(ArchiveReader archive, String label, String tag, Platform platform) {
        this.archive = archive;
        this.label = label;
        this.tag = tag;
        this.platform = platform;
    }

    @Override
    public String describe() {
        return "OCI layout " + label;
    }

    @Override
    public ResolvedManifest manifest() throws IOException {
        Index index = Json.parse(archive.readAll("index.json", MAX_JSON), Index.class, label + "/index.json");
        Descriptor chosen = choose(index);
        if (MediaTypes.isIndex(chosen.mediaType())) {
            Index nested = Json.parse(blob(chosen), Index.class, "index " + chosen.digest() + " in " + label);
            chosen = ManifestSelector.select(nested, platform, label);
        }
        String what = "manifest " + chosen.digest() + " in " + label;
        byte[] bytes = blob(chosen);
        return ResolvedManifest.of(bytes, Json.parse(bytes, Manifest.class, what).validated(what));
    }

    private Descriptor choose(Index index) {
        List<Descriptor> all = index.manifests();
        if (all.isEmpty()) throw new JboxException(label + ": index.json lists no images");
        List<Descriptor> tagged = all.stream().filter(d -> tag.equals(d.annotation(REF_NAME))).toList();
        if (!tagged.isEmpty()) return pickPlatform(tagged);
        if (all.size() == 1) return all.getFirst();
        if (all.stream().allMatch(d -> d.platform() != null)) return ManifestSelector.select(index, platform, label);
        String names = all.stream().map(d -> d.annotation(REF_NAME)).filter(Objects::nonNull).collect(Collectors.joining(", "));
        throw new JboxException(label + " holds " + all.size() + " images and none is tagged " + tag,
                names.isEmpty() ? "import a layout with one image" : "name one of its tags: " + names);
    }

    private Descriptor pickPlatform(List<Descriptor> candidates) {
        return candidates.size() == 1 ? candidates.getFirst() : ManifestSelector.select(new Index(2, null, candidates), platform, label);
    }

    private byte[] blob(Descriptor d) throws IOException {
        byte[] bytes;
        try (InputStream in = open(d)) {
            bytes = in.readNBytes(MAX_JSON);
        }
        Digest actual = Digest.of(bytes);
        if (!actual.equals(d.digest())) throw HashingInputStream.mismatch(d.digest() + " in " + label, d.digest(), actual);
        return bytes;
    }

    @Override
    public InputStream open(Descriptor blob) throws IOException {
        String name = "blobs/sha256/" + blob.digest().hex();
        return archive.open(name).orElseThrow(() -> new NoSuchFileException(label + ": " + name + " is missing"));
    }

    @Override
    public void close() throws IOException {
        archive.close();
    }
}
