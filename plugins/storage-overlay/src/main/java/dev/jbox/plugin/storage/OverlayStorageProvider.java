package dev.jbox.plugin.storage;

import dev.jbox.JboxException;
import dev.jbox.plugin.storage.cli.Progressbars;
import dev.jbox.plugin.storage.mount.LiveHost;
import dev.jbox.plugin.storage.mount.MounterChoice;
import dev.jbox.plugin.storage.mount.OverlayMounter;
import dev.jbox.plugin.storage.mount.StorageOptions;
import dev.jbox.plugin.storage.store.ImageRecord;
import dev.jbox.spec.RootFs;
import dev.jbox.spi.PreparedRoot;
import dev.jbox.spi.SandboxContext;
import dev.jbox.spi.StorageProvider;
import org.pf4j.Extension;

import java.io.PrintWriter;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Image root filesystems: layers from the local store as overlayfs lowerdirs plus a writable layer
 * per sandbox. An image that is not in the store yet is pulled first (as podman's default
 * {@code --pull=missing}), with progress on stderr.
 */
@Extension
public final class OverlayStorageProvider implements StorageProvider {
    private final Supplier<ImageStore> store;
    private final Function<ImageStore, MounterChoice.Host> host;

    public OverlayStorageProvider() {
        this(Lazy.of(ImageStore::openDefault), s -> new LiveHost(s.layout()));
    }

    public OverlayStorageProvider(ImageStore store) {
        this(() -> store, s -> new LiveHost(s.layout()));
    }

    /** With what the mounter choice knows of the host given (tests). */
    public OverlayStorageProvider(ImageStore store, MounterChoice.Host host) {
        this(() -> store, s -> host);
    }

    private OverlayStorageProvider(Supplier<ImageStore> store, Function<ImageStore, MounterChoice.Host> host) {
        this.store = store;
        this.host = host;
    }

    @Override
    public boolean supports(RootFs rootfs) {
        return rootfs instanceof RootFs.Image;
    }

    @Override
    public PreparedRoot prepare(SandboxContext context) {
        RootFs.Image root = (RootFs.Image) context.spec().rootfs();
        StorageOptions options = StorageOptions.parse(root.storageOptions());  // a typo costs no download
        ImageStore images = store.get();
        ImageRecord image = images.find(root.reference()).orElseGet(() -> pullMissing(images, root.reference()));
        OverlayMounter mounter = MounterChoice.choose(options, host.apply(images));
        return new SandboxRoots(images).prepare(context.id(), context.spec().name(), image, mounter);
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
