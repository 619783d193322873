package dev.jbox.plugin.storage;

import dev.jbox.JboxException;
import dev.jbox.plugin.storage.layer.Compression;
import dev.jbox.plugin.storage.store.ImageRecord;
import dev.jbox.plugin.storage.store.Trees;
import dev.jbox.spi.PreparedRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code jbox import} of OCI layouts (directory, tar) and docker save archives, written by the test and by skopeo. */
class ArchiveImportTest {
    @TempDir
    Path tmp;
    ImageStore store;
    TestImage image;

    @BeforeEach
    void setUp() {
        store = Fixtures.store(tmp);
        image = Fixtures.busyboxImage(Compression.GZIP);
    }

    @AfterEach
    void deleteStore() {
        Trees.delete(store.layout().root());
    }

    private void assertImported(ImageRecord r, String name) throws Exception {
        assertEquals(name, r.reference());
        assertEquals(image.configDigest(), r.config());
        assertEquals(image.layers.stream().map(TestImage.Layer::diffId).toList(), r.layers());
        assertEquals(List.of(r), store.images());
        assertEquals("upper c", Files.readString(store.layers().diffDir(r.layers().get(1)).resolve("data/c")));
        PreparedRoot root = new OverlayStorageProvider(store).prepare(Fixtures.context("imp", name, null, tmp));
        assertEquals("/srv", root.defaults().workdir());
        root.hooks().close();
    }

    @Test
    void anOciLayoutDirectory() throws Exception {
        Path layout = ArchiveWriter.ociLayout(tmp.resolve("layout"), image, "1.0");
        assertImported(store.importArchive(layout, "app:1.0", PullProgress.NONE), "localhost/app:1.0");
    }

    @Test
    void anOciLayoutTarAndAGzippedOne() throws Exception {
        Path tar = ArchiveWriter.tarDirectory(ArchiveWriter.ociLayout(tmp.resolve("layout"), image, "1.0"), tmp.resolve("oci.tar"));
        assertImported(store.importArchive(tar, "app:1.0", PullProgress.NONE), "localhost/app:1.0");
        store.remove("app:1.0");
        Path gz = ArchiveWriter.gzip(tar, tmp.resolve("oci.tar.gz"));
        assertImported(store.importArchive(gz, "app:1.0", PullProgress.NONE), "localhost/app:1.0");
    }

    @Test
    void aDockerSaveArchiveWithALinkedLayer() throws Exception {
        Path tar = ArchiveWriter.dockerSave(tmp.resolve("save.tar"), image, "app:1", true);
        assertImported(store.importArchive(tar, "example.com/team/app:2", PullProgress.NONE), "example.com/team/app:2");
    }

    @Test
    void removingOneOfTwoTagsKeepsTheImageAndDropsOnlyItsOwnManifest() throws Exception {
        ImageRecord docker = store.importArchive(ArchiveWriter.dockerSave(tmp.resolve("save.tar"), image, "app:1", false), "app:1", PullProgress.NONE);
        ImageRecord oci = store.importArchive(ArchiveWriter.ociLayout(tmp.resolve("layout"), image, "2"), "app:2", PullProgress.NONE);
        assertEquals(docker.config(), oci.config());
        assertEquals(List.of("Untagged: localhost/app:1"), store.remove("app:1"));
        assertFalse(Files.exists(store.layout().blob(docker.manifest())), "the docker archive's manifest went with its tag");
        assertTrue(Files.exists(store.layout().blob(oci.manifest())));
        assertTrue(Files.exists(store.layout().blob(oci.config())));
        assertTrue(oci.layers().stream().allMatch(store.layers()::has), "the image keeps its layers");
        assertEquals(List.of("Untagged: localhost/app:2", "Deleted: " + oci.config().hex()), store.remove("app:2"));
        try (var blobs = Files.list(store.layout().blobs())) {
            assertEquals(0, blobs.count());
        }
    }

    @Test
    void layersOfOneTarArchiveAreReadInParallelWithoutMixingUp() throws Exception {
        TestImage big = Fixtures.bigImage(12, 6, 45); // six 2 MB layers: the three download threads overlap
        Path tar = ArchiveWriter.dockerSave(tmp.resolve("big.tar"), big, "big:1", false);
        ImageRecord r = store.importArchive(tar, "big:1", PullProgress.NONE);
        assertEquals(big.layers.stream().map(TestImage.Layer::diffId).toList(), r.layers());
        Path oci = ArchiveWriter.tarDirectory(ArchiveWriter.ociLayout(tmp.resolve("big-layout"), big, "1"), tmp.resolve("big-oci.tar"));
        store.remove("big:1");
        assertEquals(big.configDigest(), store.importArchive(oci, "big:1", PullProgress.NONE).config());
    }

    @Test
    void archivesWrittenBySkopeoImportToo() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/skopeo")), "skopeo is not installed");
        Path layout = ArchiveWriter.ociLayout(tmp.resolve("layout"), image, "1.0");
        for (String dest : List.of("docker-archive:" + tmp.resolve("skopeo-docker.tar") + ":app:1.0", "oci-archive:" + tmp.resolve("skopeo-oci.tar") + ":1.0")) {
            Overlay.Result r = Overlay.exec(List.of("skopeo", "--insecure-policy", "copy", "oci:" + layout + ":1.0", dest));
            assertEquals(0, r.exit(), r.output());
        }
        ImageRecord fromDocker = store.importArchive(tmp.resolve("skopeo-docker.tar"), "app:1.0", PullProgress.NONE);
        assertEquals(image.layers.stream().map(TestImage.Layer::diffId).toList(), fromDocker.layers());
        store.remove("app:1.0");
        assertImported(store.importArchive(tmp.resolve("skopeo-oci.tar"), "app:1.0", PullProgress.NONE), "localhost/app:1.0");
    }

    @Test
    void aCorruptedArchiveBlobIsRejected() throws Exception {
        Path layout = ArchiveWriter.ociLayout(tmp.resolve("layout"), image, "1.0");
        Path blob = layout.resolve("blobs/sha256/" + image.layers.get(2).digest().hex());
        byte[] bytes = Files.readAllBytes(blob);
        bytes[bytes.length - 10] ^= 1;
        Files.write(blob, bytes);
        JboxException e = assertThrows(JboxException.class, () -> store.importArchive(layout, "app:1.0", PullProgress.NONE));
        assertTrue(e.userMessage().contains("digest mismatch"), e.userMessage());
        assertTrue(store.images().isEmpty());
    }

    @Test
    void somethingElseIsExplained() throws Exception {
        Path notAnImage = Files.writeString(tmp.resolve("notes.txt"), "hello");
        JboxException e = assertThrows(JboxException.class, () -> store.importArchive(notAnImage, "x", PullProgress.NONE));
        assertTrue(e.userMessage().contains("OCI"), e.userMessage());
        JboxException missing = assertThrows(JboxException.class, () -> store.importArchive(tmp.resolve("nope.tar"), "x", PullProgress.NONE));
        assertTrue(missing.userMessage().contains("no such file"), missing.userMessage());
    }
}
