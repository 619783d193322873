package dev.jbox.plugin.storage;

import dev.jbox.plugin.storage.oci.Digest;
import dev.jbox.plugin.storage.store.FileLocks;
import dev.jbox.plugin.storage.store.ImageRecord;
import dev.jbox.plugin.storage.store.LayerStore;
import dev.jbox.plugin.storage.store.SandboxStore;
import dev.jbox.spi.ExitStatus;
import dev.jbox.spi.LaunchHooks;
import dev.jbox.spi.PreparedRoot;
import dev.jbox.spi.PreparedRoot.RootMount;

import dev.jbox.JboxException;
import dev.jbox.plugin.storage.mount.FuseOverlayHooks;
import dev.jbox.plugin.storage.mount.FuseOverlayfs;
import dev.jbox.plugin.storage.mount.OverlayMounter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns an image into a sandbox's root: the image's layers as overlay lowerdirs (topmost first, by
 * their short names relative to {@code layers/}), a new writable layer, and the config's defaults.
 */
final class SandboxRoots {
    private final ImageStore store;

    SandboxRoots(ImageStore store) {
        this.store = store;
    }

    /**
     * Prepares sandbox {@code id} on {@code image} ({@code name} null: the writable layer goes when
     * the hooks close, as with {@code --rm}; otherwise it is kept until {@code jbox rm}).
     */
    PreparedRoot prepare(String id, String name, ImageRecord image, OverlayMounter mounter) {
        LayerStore layers = store.layers();
        SandboxStore.WritableLayer writable;
        PreparedRoot.ImageDefaults defaults;
        List<String> lowerDirs = new ArrayList<>();
        try (FileLocks.Held _ = FileLocks.shared(store.layout().storeLock())) {
            for (Digest layer : image.layers().reversed()) {
                if (!layers.has(layer)) {
                    throw new dev.jbox.JboxException("image " + image.reference() + " is damaged: layer " + layer + " is missing",
                            "remove it (jbox rmi " + image.reference() + ") and pull it again");
                }
                layers.checkLink(layer);
                lowerDirs.add(layers.linkName(layer));
            }
            if (lowerDirs.isEmpty()) {
                layers.ensureEmpty();
                lowerDirs.add(layers.linkName(LayerStore.EMPTY_LAYER));
            }
            defaults = store.config(image).defaults();
            writable = store.sandboxes().create(id, name, image);
        }
        RootMount.Overlay overlay = new RootMount.Overlay(store.layout().layers(), lowerDirs, writable.upper(), writable.work());
        WritableLayerHooks layerHooks = new WritableLayerHooks(store.sandboxes(), writable);
        return switch (mounter) {
            case OverlayMounter.Kernel k -> new PreparedRoot(overlay, defaults, layerHooks);
            case OverlayMounter.Fuse f -> {
                FuseOverlayfs command = new FuseOverlayfs(f.program(), overlay, mountPoint(writable, layerHooks), writable.dir().resolve("fuse-overlayfs.log"));
                yield new PreparedRoot(command.rootMount(), defaults, new FuseOverlayHooks(command, layerHooks));
            }
        };
    }

    /** {@code sandboxes/ID/merged}: empty on the host; fuse-overlayfs mounts on it in the sandbox's mount namespace only. */
    private static Path mountPoint(SandboxStore.WritableLayer writable, WritableLayerHooks layerHooks) {
        try {
            return Files.createDirectory(writable.dir().resolve("merged"));
        } catch (IOException e) {
            layerHooks.close();
            throw new JboxException("creating the mount point for fuse-overlayfs in " + writable.dir() + ": " + e, "check free space and permissions of the image store");
        }
    }

    /**
     * Releases the writable layer when the sandbox ends. It is kept only for a named sandbox whose
     * workload actually ran: a dry run ({@code --dry-run} prepares but never launches) or a failed
     * launch leaves nothing behind, named or not.
     */
    static final class WritableLayerHooks implements LaunchHooks {
        private final SandboxStore sandboxes;
        private final SandboxStore.WritableLayer layer;
        private volatile boolean ran;

        WritableLayerHooks(SandboxStore sandboxes, SandboxStore.WritableLayer layer) {
            this.sandboxes = sandboxes;
            this.layer = layer;
        }

        SandboxStore.WritableLayer layer() {
            return layer;
        }

        @Override
        public void exited(ExitStatus status) {
            ran = true;
        }

        @Override
        public void close() {
            if (ran && layer.record().kept()) {
                layer.close();
                return;
            }
            try {
                sandboxes.discard(layer);
            } catch (RuntimeException e) {
                System.err.println("jbox: removing the writable layer " + layer.dir() + ": " + e.getMessage());
            }
        }
    }
}
