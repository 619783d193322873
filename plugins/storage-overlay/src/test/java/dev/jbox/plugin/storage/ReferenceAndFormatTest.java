package dev.jbox.plugin.storage;

import dev.jbox.JboxException;
import dev.jbox.plugin.storage.cli.Units;
import dev.jbox.plugin.storage.layer.EntryPath;
import dev.jbox.plugin.storage.oci.Descriptor;
import dev.jbox.plugin.storage.oci.Digest;
import dev.jbox.plugin.storage.oci.ImageConfig;
import dev.jbox.plugin.storage.oci.ImageReference;
import dev.jbox.plugin.storage.oci.Index;
import dev.jbox.plugin.storage.oci.Manifest;
import dev.jbox.plugin.storage.oci.MediaTypes;
import dev.jbox.plugin.storage.oci.Platform;
import dev.jbox.plugin.storage.source.AuthChallenge;
import dev.jbox.plugin.storage.source.ManifestSelector;
import dev.jbox.plugin.storage.source.ResolvedManifest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pure parts: references, challenges, platform choice, plans, formatting. No I/O. */
class ReferenceAndFormatTest {
    private static final Digest D1 = Digest.of(new byte[] {1});
    private static final Digest D2 = Digest.of(new byte[] {2});
    private static final Digest D3 = Digest.of(new byte[] {3});

    @Test
    void referencesAreNormalisedAsDockerAndPodmanDo() {
        assertEquals(new ImageReference("docker.io", "library/busybox", "latest", null), ImageReference.parse("busybox"));
        assertEquals(new ImageReference("docker.io", "library/busybox", "1.36", null), ImageReference.parse("docker.io/busybox:1.36"));
        assertEquals(new ImageReference("docker.io", "user/app", "latest", null), ImageReference.parse("user/app"));
        ImageReference local = ImageReference.parse("127.0.0.1:5000/test/app:v1");
        assertEquals("127.0.0.1:5000", local.registry());
        assertEquals("test/app", local.repository());
        assertTrue(local.isLoopback());
        assertEquals("registry-1.docker.io", ImageReference.parse("busybox").apiHost());
        assertFalse(ImageReference.parse("quay.io/podman/hello").isLoopback());
        assertTrue(ImageReference.parse("localhost:5000/a").isLoopback());
        ImageReference pinned = ImageReference.parse("localhost/app@" + D1);
        assertNull(pinned.tag());
        assertEquals(D1.toString(), pinned.manifestReference());
        assertEquals("localhost/mine:latest", ImageReference.parse("mine", ImageReference.LOCAL).name() + ":latest");
        assertThrows(JboxException.class, () -> ImageReference.parse("Upper/Case"));
        assertThrows(JboxException.class, () -> ImageReference.parse("app:bad tag"));
        assertThrows(JboxException.class, () -> ImageReference.parse("app@md5:abc"));
    }

    @Test
    void bearerChallengesAreParsed() {
        AuthChallenge c = AuthChallenge.parse(
                "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/busybox:pull\"").orElseThrow();
        assertTrue(c.isBearer());
        assertEquals("https://auth.docker.io/token", c.param("realm"));
        assertEquals("registry.docker.io", c.param("service"));
        assertEquals("repository:library/busybox:pull", c.param("scope"));
        AuthChallenge basic = AuthChallenge.parse("Basic realm=\"Registry Realm\"").orElseThrow();
        assertFalse(basic.isBearer());
        assertTrue(AuthChallenge.parse("").isEmpty());
    }

    @Test
    void thePlatformEntryForThisMachineIsChosen() {
        Index index = new Index(2, MediaTypes.OCI_INDEX, List.of(
                new Descriptor(MediaTypes.OCI_MANIFEST, D1, 1, new Platform("arm", "linux", "v7"), null),
                new Descriptor(MediaTypes.OCI_MANIFEST, D2, 1, new Platform("arm64", "linux", "v8"), null),
                new Descriptor(MediaTypes.OCI_MANIFEST, D3, 1, new Platform("amd64", "linux", null), null),
                new Descriptor(MediaTypes.OCI_MANIFEST, D1, 1, new Platform("unknown", "unknown", null), null)));
        assertEquals(D3, ManifestSelector.select(index, new Platform("amd64", "linux", null), "x").digest());
        assertEquals(D2, ManifestSelector.select(index, new Platform("arm64", "linux", null), "x").digest());
        JboxException none = assertThrows(JboxException.class, () -> ManifestSelector.select(index, new Platform("riscv64", "linux", null), "img"));
        assertTrue(none.userMessage().contains("linux/amd64"), none.userMessage());
        assertFalse(none.userMessage().contains("unknown"), "attestation entries are not offered");
    }

    @Test
    void aPlanPairsBlobsWithDiffIdsAndKnowsWhatIsStored() {
        Manifest m = new Manifest(2, MediaTypes.OCI_MANIFEST, new Descriptor(MediaTypes.OCI_CONFIG, D1, 10),
                List.of(new Descriptor(MediaTypes.OCI_LAYER_GZIP, D2, 100), new Descriptor(MediaTypes.OCI_LAYER_GZIP, D3, 200)));
        ImageConfig config = new ImageConfig("amd64", "linux", null, null, new ImageConfig.RootFs("layers", List.of(D3, D1)));
        PullPlan plan = PullPlan.of("img", ResolvedManifest.of(new byte[] {9}, m), config, d -> d.equals(D3));
        assertEquals(List.of(D3, D1), plan.diffIds());
        assertEquals(1, plan.missing().size());
        assertEquals(200, plan.downloadSize());
        ImageConfig short1 = new ImageConfig("amd64", "linux", null, null, new ImageConfig.RootFs("layers", List.of(D1)));
        assertThrows(JboxException.class, () -> PullPlan.of("img", ResolvedManifest.of(new byte[] {9}, m), short1, d -> false));
    }

    @Test
    void imageDefaultsComeFromTheConfig() {
        ImageConfig c = new ImageConfig("amd64", "linux", null,
                new ImageConfig.Config(List.of("PATH=/usr/bin:/bin", "GREETING=a=b"), List.of("/bin/sh", "-c"), List.of("echo hi"), "/srv", "1000:1000"),
                null);
        var d = c.defaults();
        assertEquals(List.of("/bin/sh", "-c"), d.entrypoint());
        assertEquals(List.of("echo hi"), d.cmd());
        assertEquals("a=b", d.env().get("GREETING"));
        assertEquals("/srv", d.workdir());
        assertEquals("1000:1000", d.user());
    }

    @Test
    void entryPathsAreNormalisedAndEscapesRefused() {
        assertEquals(List.of("a", "b"), EntryPath.parse("./a//b/").components());
        assertTrue(EntryPath.parse("./").isRoot());
        assertThrows(EntryPath.UnsafeEntryException.class, () -> EntryPath.parse("a/../../b"));
        assertThrows(EntryPath.UnsafeEntryException.class, () -> EntryPath.parse("/etc/passwd"));
    }

    @Test
    void sizesAndAgesReadLikePodman() {
        assertEquals("512 B", Units.size(512));
        assertEquals("1.50 kB", Units.size(1500));
        assertEquals("52.4 MB", Units.size(52_428_800));
        Instant now = Instant.parse("2024-05-01T15:00:00Z");
        assertEquals("3 hours ago", Units.age("2024-05-01T12:00:00Z", now));
        assertEquals("1 minute ago", Units.age("2024-05-01T14:59:00Z", now));
        assertEquals("-", Units.age(null, now));
    }
}
