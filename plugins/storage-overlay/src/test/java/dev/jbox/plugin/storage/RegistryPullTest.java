package dev.jbox.plugin.storage;

import dev.jbox.JboxException;
import dev.jbox.plugin.storage.layer.Compression;
import dev.jbox.plugin.storage.oci.Descriptor;
import dev.jbox.plugin.storage.oci.Digest;
import dev.jbox.plugin.storage.oci.Index;
import dev.jbox.plugin.storage.oci.Json;
import dev.jbox.plugin.storage.oci.MediaTypes;
import dev.jbox.plugin.storage.oci.Platform;
import dev.jbox.plugin.storage.store.ImageRecord;
import dev.jbox.plugin.storage.store.Trees;
import dev.jbox.spi.ExitStatus;
import dev.jbox.spi.PreparedRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pulls from a real local registry (Debian's docker-registry) into a store in a temp dir, as an unprivileged user. */
class RegistryPullTest {
    @TempDir
    static Path shared;
    static LocalRegistry registry;

    @TempDir
    Path tmp;
    ImageStore store;

    @BeforeAll
    static void startRegistry() throws Exception {
        registry = LocalRegistry.start(shared);
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        if (registry != null) registry.close();
    }

    @BeforeEach
    void openStore() {
        store = Fixtures.store(tmp);
    }

    @AfterEach
    void deleteStore() {
        Trees.delete(store.layout().root());
    }

    private long storedLayers() throws IOException {
        try (Stream<Path> s = Files.list(store.layout().layers())) {
            return s.filter(p -> !p.getFileName().toString().equals("l")).count();
        }
    }

    private long tmpEntries() throws IOException {
        try (Stream<Path> s = Files.list(store.layout().tmp())) {
            return s.count();
        }
    }

    @Test
    void aMultiLayerPullStoresEachLayerOnceAndIsListed() throws Exception {
        TestImage image = Fixtures.busyboxImage(Compression.GZIP);
        String ref = registry.push("test/busybox", "v1", image);
        ImageRecord pulled = store.pull(ref, PullProgress.NONE);

        assertEquals(registry.host() + "/test/busybox", pulled.name());
        assertEquals(image.configDigest(), pulled.config());
        assertEquals(image.manifestDigest(), pulled.manifest());
        assertEquals(image.layers.stream().map(TestImage.Layer::diffId).toList(), pulled.layers());
        assertEquals(3, storedLayers());
        assertEquals(List.of(pulled), store.images());
        for (TestImage.Layer l : image.layers) {
            assertTrue(store.layers().has(l.diffId()));
            assertTrue(Files.isSymbolicLink(store.layout().layers().resolve(store.layers().linkName(l.diffId()))));
        }
        assertTrue(Files.isRegularFile(store.layout().blob(image.configDigest())));
        assertTrue(Files.isRegularFile(store.layout().blob(image.manifestDigest())));

        // Tagging the same image again fetches nothing.
        registry.push("test/busybox", "v2", image);
        List<Descriptor> fetched = new ArrayList<>();
        store.pull(registry.host() + "/test/busybox:v2", new PullProgress() {
            @Override
            public void layerStarted(Descriptor blob) {
                fetched.add(blob);
            }
        });
        assertEquals(List.of(), fetched);
        assertEquals(3, storedLayers());
        assertEquals(2, store.images().size());
        assertEquals(0, tmpEntries(), "no work files left behind");
    }

    @Test
    void aLayerWithPrivilegedXattrsGetsOneWarningAndKeepsItsUserOnes() throws Exception {
        byte[] tar = new TarBuilder().fileWithPax("bin/ping", "elf", java.util.Map.of("SCHILY.xattr.security.capability", "\u0001\u0000\u0000\u0002"))
                .fileWithPax("bin/ping6", "elf", java.util.Map.of("SCHILY.xattr.security.capability", "\u0001\u0000\u0000\u0002",
                        "SCHILY.xattr.user.note", "kept")).build();
        TestImage image = TestImage.builder().layer(tar, Compression.GZIP).layer(new TarBuilder().file("plain", "x").build(), Compression.GZIP).build();
        String ref = registry.push("test/xattrs", "1", image);
        java.io.StringWriter out = new java.io.StringWriter();
        store.pull(ref, dev.jbox.plugin.storage.cli.Progressbars.forStream(new java.io.PrintWriter(out), false));
        List<String> warnings = out.toString().lines().filter(l -> l.startsWith("Warning: ")).toList();
        assertEquals(List.of("Warning: layer " + image.layers.getFirst().digest().shortId() + ": extended attributes left out: security.capability (2);"
                + " an unprivileged user cannot set them on the host's filesystem (only user.* ones are kept, and not the overlay's own)"), warnings);
        var view = Files.getFileAttributeView(store.layers().diffDir(image.layers.getFirst().diffId()).resolve("bin/ping6"),
                java.nio.file.attribute.UserDefinedFileAttributeView.class);
        assertEquals(List.of("note"), view.list());
    }

    @Test
    void whiteoutsAndOpaqueDirsWorkInARealOverlayMountAndWritesStayInTheUpperDir() throws Exception {
        TestImage image = Fixtures.busyboxImage(Compression.GZIP);
        String ref = registry.push("test/overlay", "1", image);
        store.pull(ref, PullProgress.NONE);
        Path deleteLayer = store.layers().diffDir(image.layers.get(1).diffId());
        assertTrue(LayerExtractorTest.isWhiteout(deleteLayer.resolve("etc/gone.txt")), "0/0 char device on disk");
        assertEquals("y", LayerExtractorTest.opaqueXattr(deleteLayer.resolve("data")), "user.overlay.opaque=y on disk");

        OverlayStorageProvider provider = new OverlayStorageProvider(store);
        assertTrue(provider.supports(new dev.jbox.spec.RootFs.Image(ref)));
        assertFalse(provider.supports(dev.jbox.spec.RootFs.HOST));
        PreparedRoot root = provider.prepare(Fixtures.context("sb1", ref, null, tmp));
        PreparedRoot.RootMount.Overlay overlay = (PreparedRoot.RootMount.Overlay) root.mount();
        assertEquals(store.layout().layers(), overlay.baseDir());
        assertEquals(image.layers.reversed().stream().map(l -> store.layers().linkName(l.diffId())).toList(), overlay.lowerDirs(),
                "topmost layer first, short names");
        assertEquals(List.of("/bin/sh", "-c", "echo $GREETING from $(pwd)"), root.defaults().cmd());
        assertEquals("hello", root.defaults().env().get("GREETING"));
        assertEquals("/srv", root.defaults().workdir());

        Overlay.assumeUnprivilegedOverlay();
        Overlay.Result r = Overlay.run(overlay, tmp.resolve("mnt"), String.join(" && ",
                "test ! -e $M/etc/gone.txt", "cat $M/etc/keep.txt", "ls $M/data", "cat $M/srv/app.txt",
                "echo written > $M/srv/new.txt", "rm $M/etc/keep.txt",
                "chroot $M /bin/sh -c 'cd /srv && echo inside: $(cat app.txt)'"));
        assertEquals(0, r.exit(), r.output());
        assertEquals("kept" + "c\n" + "app" + "inside: app\n", r.output(), "gone.txt hidden, data/ shows only the upper layer's c");

        Path upper = overlay.upperDir();
        assertEquals("written\n", Files.readString(upper.resolve("srv/new.txt")), "writes land in the upper dir");
        assertTrue(LayerExtractorTest.isWhiteout(upper.resolve("etc/keep.txt")), "a delete inside is a whiteout in the upper dir");
        assertEquals("kept", Files.readString(store.layers().diffDir(image.layers.getFirst().diffId()).resolve("etc/keep.txt")),
                "the shared layer is untouched");
        for (TestImage.Layer l : image.layers) {
            try (Stream<Path> files = Files.walk(store.layers().diffDir(l.diffId()))) {
                assertTrue(files.noneMatch(p -> p.endsWith("new.txt")));
            }
        }

        root.hooks().close();
        assertFalse(Files.exists(overlay.upperDir().getParent()), "the writable layer of an unnamed (--rm) sandbox is removed");
        assertTrue(store.sandboxes().list().isEmpty());
    }

    @Test
    void aNamedSandboxKeepsItsWritableLayerAndItsImageUntilRemoved() throws Exception {
        String ref = registry.push("test/named", "1", Fixtures.busyboxImage(Compression.GZIP));
        store.pull(ref, PullProgress.NONE);
        OverlayStorageProvider provider = new OverlayStorageProvider(store);

        PreparedRoot running = provider.prepare(Fixtures.context("sb-named", ref, "web", tmp));
        Path upper = ((PreparedRoot.RootMount.Overlay) running.mount()).upperDir();
        Files.writeString(upper.resolve("state"), "kept");
        JboxException whileRunning = assertThrows(JboxException.class, () -> store.remove(ref));
        assertTrue(whileRunning.userMessage().contains("web (running)"), whileRunning.userMessage());
        assertThrows(JboxException.class, () -> provider.remove("web"), "rm refuses a running sandbox");
        JboxException sameName = assertThrows(JboxException.class, () -> provider.prepare(Fixtures.context("sb-other", ref, "web", tmp)));
        assertTrue(sameName.userMessage().contains("already exists"), sameName.userMessage());

        running.hooks().exited(ExitStatus.exited(0));
        running.hooks().close();
        assertEquals("kept", Files.readString(upper.resolve("state")), "a named sandbox keeps its writable layer");
        JboxException kept = assertThrows(JboxException.class, () -> store.remove(ref));
        assertEquals(JboxException.EXIT_JBOX, kept.exitCode());
        assertTrue(kept.userMessage().contains("web (kept)"), kept.userMessage());

        assertTrue(provider.remove("web"));
        assertFalse(Files.exists(upper));
        assertFalse(provider.remove("web"), "nothing left to remove");
        List<String> done = store.remove(ref);
        assertEquals("Untagged: " + ref, done.getFirst());
        assertEquals(0, storedLayers(), "the image's layers are gone with its last tag");
        assertTrue(store.images().isEmpty());
    }

    @Test
    void aNamedSandboxThatNeverRanLeavesNothing() throws Exception {
        String ref = registry.push("test/dryrun", "1", Fixtures.smallImage(3));
        store.pull(ref, PullProgress.NONE);
        PreparedRoot dryRun = new OverlayStorageProvider(store).prepare(Fixtures.context("sb-dry", ref, "planned", tmp));
        dryRun.hooks().close(); // --dry-run, or a launch that failed: no exited() call
        assertTrue(store.sandboxes().list().isEmpty());
        assertTrue(store.remove(ref).contains("Untagged: " + ref));
    }

    @Test
    void anUnnamedSandboxLeftByADeadProcessDoesNotBlockRmi() throws Exception {
        String ref = registry.push("test/stale", "1", Fixtures.smallImage(3));
        store.pull(ref, PullProgress.NONE);
        PreparedRoot root = new OverlayStorageProvider(store).prepare(Fixtures.context("sb-stale", ref, null, tmp));
        // Simulate a crash: the run lock is released (process gone) but close() never deleted the layer.
        ((SandboxRoots.WritableLayerHooks) root.hooks()).layer().close();
        assertEquals(1, store.sandboxes().list().size());
        store.remove(ref);
        assertTrue(store.sandboxes().list().isEmpty(), "the leftover was cleaned up");
        assertTrue(store.images().isEmpty());
    }

    @Test
    void aTamperedBlobIsRejectedAndNothingIsStored() throws Exception {
        TestImage image = Fixtures.smallImage(200); // its own blobs: the registry shares blobs between repositories
        String ref = registry.push("test/tampered", "1", image);
        Path data = registry.blobFile(image.layers.getFirst().digest());
        byte[] bytes = Files.readAllBytes(data);
        bytes[bytes.length / 2] ^= 0x55; // same size, different content
        Files.write(data, bytes);

        JboxException e = assertThrows(JboxException.class, () -> store.pull(ref, PullProgress.NONE));
        assertEquals(125, e.exitCode());
        assertTrue(e.userMessage().contains("digest mismatch"), e.userMessage());
        assertTrue(e.userMessage().contains(image.layers.getFirst().digest().toString()), e.userMessage());
        assertFalse(store.layers().has(image.layers.getFirst().diffId()));
        assertTrue(store.images().isEmpty(), "no tag for an image that failed");
        assertEquals(0, tmpEntries(), "no partial layer left in tmp/");
    }

    @Test
    void aHostileLayerCannotWriteOutsideItsDirectory() throws Exception {
        Path victim = Files.writeString(tmp.resolve("victim"), "original");
        for (byte[] tar : List.of(
                new TarBuilder().file("../../../../victim", "pwned").build(),
                new TarBuilder().symlink("escape", tmp.toString()).file("escape/victim", "pwned").build(),
                new TarBuilder().file(victim.toString(), "pwned").build())) {
            String ref = registry.push("test/hostile", "1", TestImage.builder().layer(tar).build());
            JboxException e = assertThrows(JboxException.class, () -> store.pull(ref, PullProgress.NONE));
            assertTrue(e.userMessage().contains("malformed or malicious"), e.userMessage());
            assertEquals("original", Files.readString(victim));
            assertEquals(0, storedLayers());
            assertTrue(store.images().isEmpty());
        }
    }

    @Test
    void twoThreadsPullingTheSameImageBothSucceedAndStoreItOnce() throws Exception {
        TestImage image = Fixtures.bigImage(8, 4, 42);
        String ref = registry.push("test/concurrent", "1", image);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<ImageRecord>> pulls = new ArrayList<>();
            for (int i = 0; i < 2; i++) pulls.add(pool.submit(() -> {
                go.await();
                return store.pull(ref, PullProgress.NONE);
            }));
            go.countDown();
            assertEquals(pulls.get(0).get(2, TimeUnit.MINUTES), pulls.get(1).get(2, TimeUnit.MINUTES));
        } finally {
            pool.shutdownNow();
        }
        assertEquals(4, storedLayers());
        assertEquals(1, store.images().size());
    }

    @Test
    void twoJvmsPullingTheSameImageBothSucceedAndStoreItOnce() throws Exception {
        TestImage image = Fixtures.bigImage(8, 4, 43);
        String ref = registry.push("test/twojvms", "1", image);
        List<Process> jvms = new ArrayList<>();
        for (int i = 0; i < 2; i++) jvms.add(pullInOtherJvm(ref, tmp.resolve("jvm" + i + ".log")));
        for (int i = 0; i < 2; i++) {
            assertTrue(jvms.get(i).waitFor(2, TimeUnit.MINUTES));
            assertEquals(0, jvms.get(i).exitValue(), Files.readString(tmp.resolve("jvm" + i + ".log")));
        }
        assertEquals(4, storedLayers());
        assertEquals(1, store.images().size());
        String logs = Files.readString(tmp.resolve("jvm0.log")) + Files.readString(tmp.resolve("jvm1.log"));
        assertEquals(4, logs.lines().filter(l -> l.matches("Layer \\p{XDigit}+ stored")).count(),
                "each layer was unpacked by exactly one of the two processes:\n" + logs);
    }

    private Process pullInOtherJvm(String ref, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", cp, PullMain.class.getName(),
                store.layout().root().toString(), ref).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    @Test
    void aPullKilledMidwayLeavesNothingThatIsTrustedAndTheNextPullSucceeds() throws Exception {
        TestImage image = Fixtures.bigImage(48, 2, 44);
        String ref = registry.push("test/killed", "1", image);
        Process jvm = pullInOtherJvm(ref, tmp.resolve("killed.log"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (tmpEntries() == 0 && System.nanoTime() < deadline && jvm.isAlive()) Thread.sleep(5);
        jvm.destroyForcibly().waitFor(); // SIGKILL to the pid we started, mid-pull
        assertTrue(tmpEntries() > 0, "killed while unpacking a layer");
        assertTrue(store.images().isEmpty(), "no tag written by the killed pull:\n" + Files.readString(tmp.resolve("killed.log")));
        for (TestImage.Layer l : image.layers) {
            assertEquals(Files.exists(store.layout().layer(l.diffId())), store.layers().has(l.diffId()),
                    "a layer directory is visible only when complete");
        }
        ImageRecord pulled = store.pull(ref, PullProgress.NONE);
        assertEquals(image.configDigest(), pulled.config());
        assertEquals(0, tmpEntries(), "debris of the killed pull was cleaned");
        assertEquals(2, storedLayers());
    }

    @Test
    void zstdAndUncompressedLayersArePulled() throws Exception {
        TestImage image = TestImage.builder()
                .layer(new TarBuilder().file("z.txt", "zstd layer").build(), Compression.ZSTD)
                .layer(new TarBuilder().file("u.txt", "plain layer").build(), Compression.NONE).build();
        String ref = registry.push("test/zstd", "1", image);
        store.pull(ref, PullProgress.NONE);
        assertEquals("zstd layer", Files.readString(store.layers().diffDir(image.layers.get(0).diffId()).resolve("z.txt")));
        assertEquals("plain layer", Files.readString(store.layers().diffDir(image.layers.get(1).diffId()).resolve("u.txt")));
    }

    @Test
    void anOciIndexAndADockerManifestListResolveToThisMachinesImage() throws Exception {
        String mine = Platform.current().architecture();
        String other = mine.equals("amd64") ? "arm64" : "amd64";
        for (boolean docker : new boolean[] {false, true}) {
            TestImage.Builder mineB = TestImage.builder().architecture(mine).layer(new TarBuilder().file("arch", mine).build());
            TestImage.Builder otherB = TestImage.builder().architecture(other).layer(new TarBuilder().file("arch", other).build());
            if (docker) {
                mineB.docker();
                otherB.docker();
            }
            TestImage a = mineB.build(), b = otherB.build();
            String repo = "test/multiarch-" + (docker ? "docker" : "oci");
            for (TestImage img : List.of(a, b)) {
                registry.push(repo, img.manifestDigest().hex().substring(0, 12), img);
            }
            String indexType = docker ? MediaTypes.DOCKER_LIST : MediaTypes.OCI_INDEX;
            Index index = new Index(2, indexType, List.of(
                    new Descriptor(b.manifestType, b.manifestDigest(), b.manifest.length, new Platform(other, "linux", null), null),
                    new Descriptor(a.manifestType, a.manifestDigest(), a.manifest.length, new Platform(mine, "linux", null), null)));
            registry.pushManifest(repo, "multi", Json.write(index), indexType);

            ImageRecord pulled = store.pull(registry.host() + "/" + repo + ":multi", PullProgress.NONE);
            assertEquals(a.configDigest(), pulled.config());
            assertEquals(mine, Files.readString(store.layers().diffDir(pulled.layers().getFirst()).resolve("arch")));
            assertNotEquals(b.configDigest(), pulled.config());
        }
        // A pinned digest is verified against what the registry serves.
        Digest wrong = Digest.of(new byte[] {1, 2, 3});
        JboxException e = assertThrows(JboxException.class, () -> store.pull(registry.host() + "/test/multiarch-oci@" + wrong, PullProgress.NONE));
        assertTrue(e.userMessage().contains("not found"), e.userMessage());
    }

    @Test
    void missingImagesAndUnreachableRegistriesAreExplained() {
        JboxException notFound = assertThrows(JboxException.class, () -> store.pull(registry.host() + "/test/nope:1", PullProgress.NONE));
        assertTrue(notFound.userMessage().contains("not found in registry"), notFound.userMessage());
        JboxException refused = assertThrows(JboxException.class, () -> store.pull("127.0.0.1:1/test/x:1", PullProgress.NONE));
        assertTrue(refused.userMessage().contains("cannot connect"), refused.userMessage());
        JboxException notLocal = assertThrows(JboxException.class, () -> store.require("nothing-here"));
        assertTrue(notLocal.userMessage().contains("jbox pull nothing-here"), notLocal.userMessage());
    }
}
