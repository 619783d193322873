package dev.jbox.plugin.storage;

import dev.jbox.JboxException;
import dev.jbox.plugin.storage.oci.Digest;
import dev.jbox.plugin.storage.store.BlobStore;
import dev.jbox.plugin.storage.store.ImageCatalog;
import dev.jbox.plugin.storage.store.ImageRecord;
import dev.jbox.plugin.storage.store.LayerStore;
import dev.jbox.plugin.storage.store.SandboxRecord;
import dev.jbox.plugin.storage.store.SandboxStore;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Removes a tag, and the image's data when no tag is left: its manifest and config blobs and the
 * layers no other image uses. Refuses while a running or kept sandbox sits on the image. The
 * caller holds the store lock exclusively.
 */
final class ImageRemover {
    private final BlobStore blobs;
    private final LayerStore layers;
    private final ImageCatalog catalog;
    private final SandboxStore sandboxes;

    ImageRemover(BlobStore blobs, LayerStore layers, ImageCatalog catalog, SandboxStore sandboxes) {
        this.blobs = blobs;
        this.layers = layers;
        this.catalog = catalog;
        this.sandboxes = sandboxes;
    }

    /** Removes {@code image}'s tag, or all its tags when {@code allTags} (it was named by ID). */
    List<String> remove(ImageRecord image, boolean allTags) {
        List<ImageRecord> all = catalog.list();
        List<ImageRecord> untag = all.stream()
                .filter(r -> allTags ? r.config().equals(image.config()) : r.reference().equals(image.reference())).toList();
        List<ImageRecord> rest = all.stream().filter(r -> !untag.contains(r)).toList();
        boolean lastTag = rest.stream().noneMatch(r -> r.config().equals(image.config()));
        if (lastTag) refuseIfUsed(image);

        catalog.update(list -> {
            list.removeAll(untag);
            return list;
        });
        List<String> done = new ArrayList<>();
        for (ImageRecord r : untag) done.add("Untagged: " + r.reference());
        Set<Digest> manifests = untag.stream().map(ImageRecord::manifest).collect(Collectors.toSet());
        for (Digest m : manifests) {
            if (rest.stream().noneMatch(r -> r.manifest().equals(m))) blobs.remove(m);
        }
        if (!lastTag) return done;

        Set<Digest> stillUsed = rest.stream().flatMap(r -> r.layers().stream()).collect(Collectors.toCollection(HashSet::new));
        for (Digest layer : new HashSet<>(image.layers())) {
            if (!stillUsed.contains(layer)) layers.remove(layer);
        }
        blobs.remove(image.config());
        done.add("Deleted: " + image.config().hex());
        return done;
    }

    private void refuseIfUsed(ImageRecord image) {
        List<SandboxRecord> users = sandboxes.users(image.config());
        if (users.isEmpty()) return;
        String names = users.stream().map(s -> (s.name() != null ? s.name() : s.id()) + (sandboxes.isRunning(s.id()) ? " (running)" : " (kept)"))
                .collect(Collectors.joining(", "));
        throw new JboxException("image " + image.reference() + " is in use by sandbox " + names,
                "stop the sandbox and remove it with jbox rm NAME first");
    }
}
