package dev.jbox.plugin.storage;

import dev.jbox.JboxException;
import dev.jbox.plugin.storage.oci.Descriptor;
import dev.jbox.plugin.storage.oci.HashingInputStream;
import dev.jbox.plugin.storage.oci.ImageConfig;
import dev.jbox.plugin.storage.oci.Json;
import dev.jbox.plugin.storage.source.ImageSource;
import dev.jbox.plugin.storage.source.ResolvedManifest;
import dev.jbox.plugin.storage.store.BlobStore;
import dev.jbox.plugin.storage.store.ImageCatalog;
import dev.jbox.plugin.storage.store.ImageRecord;
import dev.jbox.plugin.storage.store.LayerStore;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies an image from a source into the store, in the order that keeps the store trustworthy:
 * config fetched and verified, plan made, missing layers fetched in parallel (each verified and
 * renamed into place), config and manifest blobs stored, and the tag written last. A crash at any
 * point leaves at most unreferenced complete layers and tmp/ debris, never a tag to a partial image.
 */
final class ImageInstaller {
    private static final int MAX_CONFIG = 16 << 20;
    /** Parallel layer downloads: enough to hide latency, few enough for small machines. */
    private static final int PARALLEL_LAYERS = 3;

    private final BlobStore blobs;
    private final LayerStore layers;
    private final ImageCatalog catalog;

    ImageInstaller(BlobStore blobs, LayerStore layers, ImageCatalog catalog) {
        this.blobs = blobs;
        this.layers = layers;
        this.catalog = catalog;
    }

    ImageRecord install(ImageSource source, String name, String tag, PullProgress progress) throws IOException {
        ResolvedManifest manifest = source.manifest();
        Descriptor configBlob = manifest.manifest().config();
        byte[] configBytes = readConfig(source, configBlob);
        String what = source.describe();
        ImageConfig config = Json.parse(configBytes, ImageConfig.class, "config of " + what);
        PullPlan plan = PullPlan.of(what, manifest, config, layers::has);
        progress.planned(plan);
        fetchLayers(source, plan, progress);
        if (plan.layers().isEmpty()) layers.ensureEmpty();
        blobs.put(configBlob.digest(), configBytes, "config of " + what);
        blobs.put(manifest.digest(), manifest.bytes(), "manifest of " + what);
        long size = plan.diffIds().stream().mapToLong(d -> layers.info(d).map(LayerStore.LayerInfo::size).orElse(0L)).sum();
        ImageRecord image = new ImageRecord(name, tag, manifest.digest(), configBlob.digest(), plan.diffIds(), size, config.created());
        catalog.put(image);
        progress.stored(image);
        return image;
    }

    private static byte[] readConfig(ImageSource source, Descriptor configBlob) throws IOException {
        try (InputStream in = source.open(configBlob)) {
            HashingInputStream hashed = new HashingInputStream(in);
            byte[] bytes = hashed.readNBytes(MAX_CONFIG + 1);
            if (bytes.length > MAX_CONFIG) throw new JboxException(source.describe() + ": the image config is larger than 16 MiB");
            hashed.verify(configBlob.digest(), "config of " + source.describe());
            return bytes;
        }
    }

    private void fetchLayers(ImageSource source, PullPlan plan, PullProgress progress) throws IOException {
        List<PullPlan.LayerStep> missing = plan.missing();
        if (missing.isEmpty()) return;
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL_LAYERS, missing.size()), r -> {
            Thread t = new Thread(r, "jbox-layer");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (PullPlan.LayerStep step : missing) jobs.add(pool.submit(() -> fetchLayer(source, step, progress)));
            for (Future<?> job : jobs) job.get();
        } catch (ExecutionException e) {
            pool.shutdownNow();
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof IOException io) throw io;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
            throw new JboxException("pulling " + plan.what() + ": interrupted");
        } finally {
            pool.shutdown();
        }
    }

    private Void fetchLayer(ImageSource source, PullPlan.LayerStep step, PullProgress progress) {
        Descriptor blob = step.blob();
        progress.layerStarted(blob);
        AtomicLong read = new AtomicLong();
        boolean unpacked = layers.ensure(step.diffId(), blob.digest(), "layer " + blob.digest() + " of " + source.describe(),
                () -> source.open(blob), n -> progress.layerBytes(blob, read.addAndGet(n)), w -> progress.layerWarning(blob, w));
        progress.layerDone(blob, !unpacked);
        return null;
    }
}
