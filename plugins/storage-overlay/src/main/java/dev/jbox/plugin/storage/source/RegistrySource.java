package dev.jbox.plugin.storage.source;

import dev.jbox.JboxException;
import dev.jbox.plugin.storage.auth.RegistryAuth;
import dev.jbox.plugin.storage.oci.Descriptor;
import dev.jbox.plugin.storage.oci.Digest;
import dev.jbox.plugin.storage.oci.HashingInputStream;
import dev.jbox.plugin.storage.oci.ImageReference;
import dev.jbox.plugin.storage.oci.Index;
import dev.jbox.plugin.storage.oci.Json;
import dev.jbox.plugin.storage.oci.Manifest;
import dev.jbox.plugin.storage.oci.MediaTypes;
import dev.jbox.plugin.storage.oci.Platform;

import java.io.IOException;
import java.io.InputStream;

/** An image in an OCI distribution registry. */
public final class RegistrySource implements ImageSource {
    private final ImageReference ref;
    private final RegistryClient client;
    private final Platform platform;

    public RegistrySource(ImageReference ref, Platform platform, RegistryAuth auth) {
        this.ref = ref;
        this.client = new RegistryClient(ref, auth);
        this.platform = platform;
    }

    @Override
    public String describe() {
        return "registry image " + ref;
    }

    @Override
    public ResolvedManifest manifest() throws IOException {
        RegistryClient.Fetched top = client.manifest(ref.manifestReference(), MediaTypes.MANIFEST_ACCEPT);
        if (ref.digest() != null) check(top.bytes(), ref.digest());
        String type = mediaType(top);
        if (MediaTypes.isIndex(type)) {
            Index index = Json.parse(top.bytes(), Index.class, "index of " + ref);
            Descriptor chosen = ManifestSelector.select(index, platform, ref.toString());
            RegistryClient.Fetched m = client.manifest(chosen.digest().toString(), MediaTypes.MANIFEST_ACCEPT);
            check(m.bytes(), chosen.digest());
            return manifestOf(m.bytes(), ref + " for " + platform);
        }
        if (!MediaTypes.isManifest(type)) {
            throw new JboxException(ref + ": the registry returned a " + type + ", not an image manifest",
                    "jbox reads OCI and Docker schema 2 manifests and indexes");
        }
        return manifestOf(top.bytes(), ref.toString());
    }

    @Override
    public InputStream open(Descriptor blob) throws IOException {
        return client.blob(blob.digest());
    }

    private static ResolvedManifest manifestOf(byte[] bytes, String what) {
        return ResolvedManifest.of(bytes, Json.parse(bytes, Manifest.class, "manifest of " + what).validated(what));
    }

    private void check(byte[] bytes, Digest expected) {
        Digest actual = Digest.of(bytes);
        if (!actual.equals(expected)) throw HashingInputStream.mismatch("manifest of " + ref, expected, actual);
    }

    /** The document's own mediaType, else the Content-Type; an unlabelled document with manifests[] is an index. */
    private String mediaType(RegistryClient.Fetched f) {
        String own = Json.mediaType(f.bytes(), "manifest of " + ref);
        if (own != null) return own;
        if (Json.hasField(f.bytes(), "manifests")) return MediaTypes.OCI_INDEX;
        String header = f.contentType() == null ? null : f.contentType().split(";")[0].strip();
        return header != null && !header.equals("application/json") ? header : MediaTypes.OCI_MANIFEST;
    }
}
