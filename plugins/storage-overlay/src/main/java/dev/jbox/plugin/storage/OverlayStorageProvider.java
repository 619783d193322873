package dev.jbox.plugin.storage;

import dev.jbox.JboxException;
import dev.jbox.plugin.storage.cli.Progressbars;
import dev.jbox.plugin.storage.store.ImageRecord;
import dev.jbox.spec.RootFs;
import dev.jbox.spi.PreparedRoot;
import dev.jbox.spi.SandboxContext;
import dev.jbox.spi.StorageProvider;
import org.pf4j.Extension;

import java.io.PrintWriter;
import java.util.function.Supplier;

/**
 * Image root filesystems: layers from the local store as overlayfs lowerdirs plus a writable layer
 * per sandbox. An image that is not in the store yet is pulled first (as podman's default
 * {@code --pull=missing}), with progress on stderr.
 */
@Extension
public final class OverlayStorageProvider implements StorageProvider {
    private final Supplier<ImageStore> store;

    public OverlayStorageProvider() {
        this(Lazy.of(ImageStore::openDefault));
    }

    public OverlayStorageProvider(ImageStore store) {
        this(() -> store);
    }

    private OverlayStorageProvider(Supplier<ImageStore> store) {
        this.store = store;
    }

    @Override
    public boolean supports(RootFs rootfs) {
        return rootfs instanceof RootFs.Image;
    }

    @Override
    public PreparedRoot prepare(SandboxContext context) {
        String reference = ((RootFs.Image) context.spec().rootfs()).reference();
        ImageStore images = store.get();
        ImageRecord image = images.find(reference).orElseGet(() -> pullMissing(images, reference));
        return new SandboxRoots(images).prepare(context.id(), context.spec().name(), image);
    }

    private static ImageRecord pullMissing(ImageStore images, String reference) {
        try {
            return images.pull(reference, Progressbars.forStream(new PrintWriter(System.err, true), Progressbars.onTerminal()));
        } catch (JboxException e) {
            throw new JboxException("image " + reference + " is not in the local store, and pulling it failed: " + e.getMessage(),
                    e.hint(), e.exitCode(), e);
        }
    }

    /** {@code jbox rm}: deletes a named sandbox's writable layer; refuses while it runs. */
    @Override
    public boolean remove(String sandboxIdOrName) {
        return store.get().sandboxes().remove(sandboxIdOrName);
    }
}
