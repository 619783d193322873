package dev.jbox.plugin.storage;

import dev.jbox.JboxException;
import dev.jbox.plugin.storage.oci.Descriptor;
import dev.jbox.plugin.storage.oci.Digest;
import dev.jbox.plugin.storage.oci.ImageConfig;
import dev.jbox.plugin.storage.source.ResolvedManifest;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * What installing one image takes, computed before anything is fetched: each layer blob paired with
 * its diffID from the config, and whether the store already has it.
 *
 * @param what     the image, for messages
 * @param manifest the manifest chosen for this machine
 * @param config   the image config (already verified)
 * @param layers   bottom layer first
 */
public record PullPlan(String what, ResolvedManifest manifest, ImageConfig config, List<LayerStep> layers) {
    public PullPlan {
        layers = List.copyOf(layers);
    }

    /** One layer: its blob, its diffID, and whether it is stored already. */
    public record LayerStep(Descriptor blob, Digest diffId, boolean present) {}

    public static PullPlan of(String what, ResolvedManifest manifest, ImageConfig config, Predicate<Digest> stored) {
        List<Descriptor> blobs = manifest.manifest().layers();
        List<Digest> diffIds = config.diffIds();
        if (blobs.size() != diffIds.size()) {
            throw new JboxException(what + ": the manifest has " + blobs.size() + " layers but the config lists " + diffIds.size() + " diffIDs",
                    "the image is malformed");
        }
        List<LayerStep> steps = new ArrayList<>();
        for (int i = 0; i < blobs.size(); i++) steps.add(new LayerStep(blobs.get(i), diffIds.get(i), stored.test(diffIds.get(i))));
        return new PullPlan(what, manifest, config, steps);
    }

    public List<LayerStep> missing() {
        return layers.stream().filter(l -> !l.present()).toList();
    }

    public List<Digest> diffIds() {
        return layers.stream().map(LayerStep::diffId).toList();
    }

    /** Bytes to download (compressed sizes of the missing layers). */
    public long downloadSize() {
        return missing().stream().mapToLong(l -> l.blob().size()).sum();
    }
}
