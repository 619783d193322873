package dev.jbox.plugin.storage;

import dev.jbox.Sandbox;
import dev.jbox.plugin.storage.layer.Compression;
import dev.jbox.plugin.storage.store.StoreLayout;
import dev.jbox.plugin.storage.store.Trees;
import dev.jbox.plugins.Plugins;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.testing.TestRootfs;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sandbox launch latency, {@code /bin/true} from start to reaped and cleaned up: on a 5-layer image
 * (kernel overlayfs, a fresh writable layer per launch, deleted after), the same image mounted by
 * fuse-overlayfs ({@code overlay.mount_program}), and the same busybox tree as a directory root
 * (bind mount). Run: {@code java -cp … org.openjdk.jmh.Main ImageLaunchBench}. JMH runs one
 * benchmark after the other; on a machine whose load drifts, {@link #main} gives the fairer
 * comparison: the kinds of launch interleaved, medians and quartiles.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class ImageLaunchBench {
    private Path tmp;
    private ImageStore store;
    private Sandbox jbox;
    private SandboxSpec onImage;
    private SandboxSpec onFuse;
    private SandboxSpec onDirectory;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        tmp = Files.createTempDirectory("jbox-bench-");
        Path rootfs = TestRootfs.shared();
        TestImage.Builder image = TestImage.builder().layer(new TarBuilder().tree(rootfs).build(), Compression.GZIP);
        for (int i = 1; i < 5; i++) {
            image.layer(new TarBuilder().dir("etc", 0755).file("etc/layer" + i, "layer " + i).dir("opt/app" + i, 0755)
                    .file("opt/app" + i + "/data", "x".repeat(1000 * i)).build());
        }
        store = new ImageStore(new StoreLayout(tmp.resolve("store")));
        store.importArchive(ArchiveWriter.ociLayout(tmp.resolve("layout"), image.build(), "5"), "bench:5", PullProgress.NONE);
        jbox = new Sandbox(Plugins.of(List.of(new OverlayStorageProvider(store)), List.of(), List.of()));
        onImage = SandboxSpec.builder().image("bench:5").command("/bin/true").build();
        onFuse = SandboxSpec.builder().rootfs(new dev.jbox.spec.RootFs.Image("bench:5", java.util.Map.of("overlay.mount_program", "fuse-overlayfs")))
                .command("/bin/true").build();
        onDirectory = SandboxSpec.builder().rootfs(rootfs).command("/bin/true").build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        Trees.delete(tmp);
    }

    /** {@code java --enable-native-access=ALL-UNNAMED -cp … dev.jbox.plugin.storage.ImageLaunchBench [LAUNCHES]}. */
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        ImageLaunchBench b = new ImageLaunchBench();
        b.setUp();
        try {
            for (int i = 0; i < 20; i++) { b.imageRootFiveLayers(); b.imageRootFiveLayersFuse(); b.directoryRoot(); } // warm-up
            long[] image = new long[n], fuse = new long[n], directory = new long[n];
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                b.imageRootFiveLayers();
                long t1 = System.nanoTime();
                b.imageRootFiveLayersFuse();
                long t2 = System.nanoTime();
                b.directoryRoot();
                image[i] = t1 - t0;
                fuse[i] = t2 - t1;
                directory[i] = System.nanoTime() - t2;
            }
            System.out.println("launch → exit → cleanup, " + n + " interleaved launches each (ms): p25 / median / p75");
            System.out.println("  image, 5 layers (overlay):         " + quartiles(image));
            System.out.println("  image, 5 layers (fuse-overlayfs):  " + quartiles(fuse));
            System.out.println("  directory root (bind):             " + quartiles(directory));
        } finally {
            b.tearDown();
        }
    }

    private static String quartiles(long[] nanos) {
        long[] s = nanos.clone();
        java.util.Arrays.sort(s);
        return String.format(java.util.Locale.ROOT, "%.2f / %.2f / %.2f", s[s.length / 4] / 1e6, s[s.length / 2] / 1e6, s[3 * s.length / 4] / 1e6);
    }

    @Benchmark
    public int imageRootFiveLayers() throws Exception {
        return jbox.launch(onImage).onExit().get().exitValue();
    }

    @Benchmark
    public int imageRootFiveLayersFuse() throws Exception {
        return jbox.launch(onFuse).onExit().get().exitValue();
    }

    @Benchmark
    public int directoryRoot() throws Exception {
        return jbox.launch(onDirectory).onExit().get().exitValue();
    }
}
