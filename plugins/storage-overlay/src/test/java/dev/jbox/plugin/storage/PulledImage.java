package dev.jbox.plugin.storage;

import dev.jbox.Sandbox;
import dev.jbox.plugin.storage.layer.Compression;
import dev.jbox.plugin.storage.store.Trees;
import dev.jbox.plugins.Plugins;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.testing.Capture;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The three-layer busybox test image ({@link Fixtures#busyboxImage}) pushed to a real local
 * registry and pulled into a store in {@code dir}, and a jbox whose storage plugin uses that store.
 */
final class PulledImage implements AutoCloseable {
    final LocalRegistry registry;
    final ImageStore store;
    final Sandbox jbox;
    final String ref;

    private PulledImage(LocalRegistry registry, ImageStore store, String ref) {
        this.registry = registry;
        this.store = store;
        this.ref = ref;
        this.jbox = new Sandbox(Plugins.of(List.of(new OverlayStorageProvider(store)), List.of(), List.of()));
    }

    static PulledImage start(Path dir, String repository) throws Exception {
        LocalRegistry registry = LocalRegistry.start(dir);
        String ref = registry.push(repository, "1", Fixtures.busyboxImage(Compression.GZIP));
        ImageStore store = Fixtures.store(dir);
        store.pull(ref, PullProgress.NONE);
        return new PulledImage(registry, store, ref);
    }

    Capture run(SandboxSpec.Builder spec) {
        return Capture.run(jbox.launch(spec.stdout(Redirect.PIPE).stderr(Redirect.PIPE).build()));
    }

    /** The writable layers in the store (each sandbox's directory). */
    List<Path> sandboxDirs() throws IOException {
        try (Stream<Path> s = Files.list(store.layout().sandboxes())) {
            return s.filter(Files::isDirectory).toList();
        }
    }

    @Override
    public void close() throws IOException {
        registry.close();
        Trees.delete(store.layout().root());
    }
}
