package dev.jbox.plugin.storage;

import dev.jbox.plugin.storage.layer.Compression;
import dev.jbox.plugin.storage.store.StoreLayout;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.spi.SandboxContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Images and contexts shared by the storage tests. */
final class Fixtures {
    private Fixtures() {}

    static final Path BUSYBOX = Path.of("/bin/busybox");

    /**
     * Three layers: (1) busybox, {@code /etc/gone.txt}, {@code /data/a}, {@code /data/b};
     * (2) deletes {@code /etc/gone.txt}, makes {@code /data} opaque with only {@code c};
     * (3) {@code /srv/app.txt}. Config: Env, Cmd and WorkingDir set.
     */
    static TestImage busyboxImage(Compression compression) {
        assumeTrue(Files.isRegularFile(BUSYBOX), "busybox-static is not installed (/bin/busybox)");
        byte[] base = new TarBuilder().dir("bin", 0755).hostFile("bin/busybox", BUSYBOX, 0755)
                .symlink("bin/sh", "busybox").symlink("bin/cat", "busybox").symlink("bin/ls", "busybox")
                .symlink("bin/echo", "busybox").symlink("bin/pwd", "busybox")
                .dir("etc", 0755).file("etc/gone.txt", "deleted above").file("etc/keep.txt", "kept")
                .dir("data", 0755).file("data/a", "lower a").file("data/b", "lower b").dir("tmp", 01777).build();
        byte[] delete = new TarBuilder().dir("etc", 0755).whiteout("etc/gone.txt")
                .dir("data", 0755).opaque("data").file("data/c", "upper c").build();
        byte[] app = new TarBuilder().dir("srv", 0755).file("srv/app.txt", "app").build();
        return TestImage.builder().layer(base, compression).layer(delete, compression).layer(app, compression)
                .config(List.of("PATH=/bin", "GREETING=hello"), null, List.of("/bin/sh", "-c", "echo $GREETING from $(pwd)"), "/srv", null)
                .build();
    }

    /** A small image with one layer of {@code files} random files (distinct content per call). */
    static TestImage smallImage(int files) {
        TarBuilder tar = new TarBuilder().dir("files", 0755);
        for (int i = 0; i < files; i++) tar.file("files/f" + i, HexFormat.of().formatHex(randomBytes(32, ThreadLocalRandom.current())));
        return TestImage.builder().layer(tar.build()).build();
    }

    /** An image of about {@code mb} MB in {@code layers} layers of incompressible data (for throughput). */
    static TestImage bigImage(int mb, int layers, long seed) {
        Random random = new Random(seed);
        TestImage.Builder b = TestImage.builder();
        int perLayer = mb / layers;
        for (int l = 0; l < layers; l++) {
            TarBuilder tar = new TarBuilder().dir("data" + l, 0755);
            for (int f = 0; f < perLayer * 4; f++) tar.file("data" + l + "/f" + f, randomBytes(256 * 1024, random), 0644);
            b.layer(tar.build());
        }
        return b.build();
    }

    static byte[] randomBytes(int n, Random random) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    static ImageStore store(Path dir) {
        return new ImageStore(new StoreLayout(dir.resolve("store")));
    }

    /** What the launcher gives the provider for {@code jbox run [--name NAME] --image REF}. */
    static SandboxContext context(String id, String image, String name, Path runtime) {
        SandboxSpec spec = SandboxSpec.builder().image(image).name(name).build();
        return new SandboxContext(id, spec, runtime, 1001, 1001);
    }
}
