package dev.jbox.plugin.storage;

import dev.jbox.plugin.storage.store.Trees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Pull throughput from the local registry, beside {@code skopeo copy} of the same image in the same
 * session. A measurement, not a check: run with {@code -Djbox.measure=true}. The image is ~50 MB of
 * compressed blobs made of real host files (shared libraries: compressible as real images are).
 */
@EnabledIfSystemProperty(named = "jbox.measure", matches = "true")
class PullThroughputMeasurement {
    private static final int RUNS = 5;

    @TempDir
    Path tmp;

    @Test
    void pullThroughputBesideSkopeo() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/skopeo")), "skopeo is not installed");
        TestImage image = hostFilesImage(5, 50_000_000);
        long blobBytes = image.layers.stream().mapToLong(l -> l.blob().length).sum();
        long tarBytes = image.layers.stream().mapToLong(l -> l.tar().length).sum();
        try (LocalRegistry registry = LocalRegistry.start(tmp)) {
            String ref = registry.push("bench/libs", "1", image);
            List<Double> jbox = new ArrayList<>(), skopeo = new ArrayList<>(), skopeoDir = new ArrayList<>(), skopeoTar = new ArrayList<>();
            List<Double> extractJava = new ArrayList<>(), extractGnuTar = new ArrayList<>();
            List<Path> tars = new ArrayList<>();
            for (TestImage.Layer l : image.layers) tars.add(Files.write(tmp.resolve("layer" + tars.size() + ".tar"), l.tar()));
            for (int run = 0; run < RUNS; run++) {
                ImageStore store = new ImageStore(new dev.jbox.plugin.storage.store.StoreLayout(tmp.resolve("store" + run)));
                long t0 = System.nanoTime();
                store.pull(ref, PullProgress.NONE);
                jbox.add((System.nanoTime() - t0) / 1e9);
                Trees.delete(store.layout().root());

                skopeo.add(timeSkopeo(ref, "oci:" + tmp.resolve("oci" + run) + ":1"));
                skopeoDir.add(timeSkopeo(ref, "dir:" + tmp.resolve("dir" + run)));
                skopeoTar.add(skopeoDir.getLast() + timeGnuTarExtract(image, tmp.resolve("dir" + run), tmp.resolve("x" + run), "-xzf"));
                extractJava.add(timeJavaExtract(image, tmp.resolve("j" + run)));
                extractGnuTar.add(timeGnuTarExtract(tars, tmp.resolve("t" + run), "-xf"));
                Trees.delete(tmp.resolve("oci" + run));
                Trees.delete(tmp.resolve("dir" + run));
            }
            String report = String.format(Locale.ROOT, """
                    image: %d layers, %.1f MB compressed blobs (gzip), %.1f MB uncompressed tar
                    jbox pull (download + verify + gunzip + extract to layers/, %d runs):   median %.2f s = %.1f MB/s of blobs (runs %s)
                    skopeo copy docker:// -> oci: (download + verify + write blobs):      median %.2f s = %.1f MB/s (runs %s)
                    skopeo copy docker:// -> dir:                                         median %.2f s = %.1f MB/s (runs %s)
                    skopeo copy -> dir: then GNU tar -xzf of each layer (pull + unpack):  median %.2f s = %.1f MB/s (runs %s)
                    extraction alone, uncompressed tars: jbox LayerExtractor %.2f s, GNU tar -xf %.2f s (medians)
                    """, image.layers.size(), blobBytes / 1e6, tarBytes / 1e6, RUNS,
                    median(jbox), blobBytes / 1e6 / median(jbox), jbox,
                    median(skopeo), blobBytes / 1e6 / median(skopeo), skopeo,
                    median(skopeoDir), blobBytes / 1e6 / median(skopeoDir), skopeoDir,
                    median(skopeoTar), blobBytes / 1e6 / median(skopeoTar), skopeoTar,
                    median(extractJava), median(extractGnuTar));
            System.out.println(report);
            Files.writeString(Path.of("target", "pull-throughput.txt"), report);
        }
    }

    private double timeSkopeo(String ref, String destination) throws Exception {
        long t0 = System.nanoTime();
        Overlay.Result r = Overlay.exec(List.of("skopeo", "--insecure-policy", "copy", "--src-tls-verify=false", "-q", "docker://" + ref, destination));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(0, r.exit(), r.output());
        return seconds;
    }

    /** GNU tar extracting every layer blob of a skopeo {@code dir:} copy (named by digest hex there). */
    private double timeGnuTarExtract(TestImage image, Path dir, Path out, String flags) throws Exception {
        List<Path> blobs = image.layers.stream().map(l -> dir.resolve(l.digest().hex())).toList();
        return timeGnuTarExtract(blobs, out, flags);
    }

    private double timeGnuTarExtract(List<Path> archives, Path out, String flags) throws Exception {
        long t0 = System.nanoTime();
        for (Path a : archives) {
            Path target = Files.createDirectories(out.resolve(a.getFileName().toString()));
            Overlay.Result r = Overlay.exec(List.of("tar", flags, a.toString(), "-C", target.toString()));
            assertEquals(0, r.exit(), r.output());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Trees.delete(out);
        return seconds;
    }

    private double timeJavaExtract(TestImage image, Path out) throws Exception {
        long t0 = System.nanoTime();
        for (TestImage.Layer l : image.layers) {
            Path target = Files.createDirectories(out.resolve(l.diffId().shortId()));
            dev.jbox.plugin.storage.layer.LayerExtractor.extract(new java.io.ByteArrayInputStream(l.tar()), target);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Trees.delete(out);
        return seconds;
    }

    private static double median(List<Double> xs) {
        List<Double> s = xs.stream().sorted().toList();
        return s.get(s.size() / 2);
    }

    /** Host shared libraries, in {@code layers} layers, until the gzip blobs reach about {@code targetBlobBytes}. */
    private static TestImage hostFilesImage(int layers, long targetBlobBytes) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(Path.of("/usr/lib"))) {
            files = s.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) && Files.isReadable(p))
                    .sorted(Comparator.naturalOrder()).toList();
        }
        TestImage.Builder b = TestImage.builder();
        long perLayer = targetBlobBytes / layers;
        int next = 0;
        for (int l = 0; l < layers; l++) {
            TarBuilder tar = new TarBuilder();
            long approxBlob = 0;
            while (approxBlob < perLayer && next < files.size()) {
                Path f = files.get(next++);
                long size = Files.size(f);
                if (size > 20_000_000) continue;
                tar.hostFile("usr/lib/" + Path.of("/usr/lib").relativize(f), f, 0644);
                approxBlob += size * 45 / 100; // gzip shrinks shared libraries to roughly 40-50 %
            }
            b.layer(tar.build());
        }
        return b.build();
    }
}
