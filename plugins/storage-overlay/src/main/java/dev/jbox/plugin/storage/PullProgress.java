package dev.jbox.plugin.storage;

import dev.jbox.plugin.storage.oci.Descriptor;
import dev.jbox.plugin.storage.store.ImageRecord;

/** What a pull or import reports as it goes; methods may be called from several download threads. */
public interface PullProgress {
    PullProgress NONE = new PullProgress() {};

    /** The manifest is chosen; {@code plan} says which layers will be fetched. */
    default void planned(PullPlan plan) {}

    /** A layer starts downloading. */
    default void layerStarted(Descriptor blob) {}

    /** {@code bytes} of the blob have been read so far. */
    default void layerBytes(Descriptor blob, long bytes) {}

    /** Something about a layer the user should know, once per layer (extended attributes left out). */
    default void layerWarning(Descriptor blob, String warning) {}

    /** A layer is stored (or was found stored by a concurrent pull: {@code reused}). */
    default void layerDone(Descriptor blob, boolean reused) {}

    /** The image is in the catalog. */
    default void stored(ImageRecord image) {}
}
