package dev.jbox.plugin.storage.mount;

import dev.jbox.JboxException;
import dev.jbox.plugin.storage.store.StoreLayout;
import dev.jbox.spi.PreparedRoot.RootMount;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** The pieces of the fuse-overlayfs path that need no privileges: command, mountinfo, hints, the probe's record, /dev/fuse checks. */
class FuseMountPartsTest {
    static final RootMount.Overlay LAYERS = new RootMount.Overlay(Path.of("/s/layers"), List.of("l/TOP", "l/BASE"),
            Path.of("/s/sandboxes/1/upper"), Path.of("/s/sandboxes/1/work"));

    @Test
    void theCommandMountsTheSameLayersInTheForeground() {
        FuseOverlayfs c = new FuseOverlayfs(Path.of("/usr/bin/fuse-overlayfs"), LAYERS, Path.of("/s/sandboxes/1/merged"), Path.of("/s/log"));
        assertEquals(List.of("/usr/bin/fuse-overlayfs", "-f", "-o",
                "lowerdir=/s/layers/l/TOP:/s/layers/l/BASE,upperdir=/s/sandboxes/1/upper,workdir=/s/sandboxes/1/work",
                "/s/sandboxes/1/merged"), c.argv());
        assertEquals(new RootMount.FuseOverlay(LAYERS, Path.of("/s/sandboxes/1/merged"), c.argv()), c.rootMount());
    }

    @Test
    void mountPointsAreFoundInMountinfoWithTheKernelsEscapes() {
        List<String> mountinfo = List.of(
                "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw",
                "97 22 0:52 / /tmp/my\\040store/sandboxes/1/merged rw,nosuid,nodev,relatime - fuse.fuse-overlayfs fuse-overlayfs rw,user_id=0");
        assertTrue(MountWatch.isMountPoint(mountinfo, "/tmp/my store/sandboxes/1/merged"));
        assertFalse(MountWatch.isMountPoint(mountinfo, "/tmp/my store/sandboxes/1"));
        assertTrue(MountWatch.isMountPoint(mountinfo, "/"));
    }

    @Test
    void hintsFollowWhatFuseOverlayfsSaid() {
        assertTrue(FuseOverlayHooks.hint(List.of("fuse: failed to open /dev/fuse: Permission denied")).contains("chmod 0666 /dev/fuse"));
        assertEquals("load the fuse module: sudo modprobe fuse", FuseOverlayHooks.hint(List.of("fuse: device not found, try 'modprobe fuse' first")));
        assertTrue(FuseOverlayHooks.hint(List.of()).contains("overlay.mount_program"));
    }

    @Test
    void theProbesAnswerHoldsForOneBoot(@TempDir Path dir) {
        StoreLayout layout = new StoreLayout(dir.resolve("store")).ensureCreated();
        Path file = dir.resolve("answer");
        MounterChoice.KernelOverlay refused = new MounterChoice.KernelOverlay(false, "mount: EINVAL (Invalid argument)");
        OverlayProbe.write(file, "boot-1", refused, layout);
        assertEquals(refused, OverlayProbe.read(file, "boot-1"));
        assertNull(OverlayProbe.read(file, "boot-2"), "another boot probes again");
        OverlayProbe.write(file, "boot-2", MounterChoice.KernelOverlay.WORKS, layout);
        assertEquals(MounterChoice.KernelOverlay.WORKS, OverlayProbe.read(file, "boot-2"));
        assertNull(OverlayProbe.read(dir.resolve("missing"), "boot-2"));
    }

    @Test
    void theFuseDeviceMustExistAndBeReadableAndWritable(@TempDir Path dir) throws Exception {
        JboxException missing = LiveHost.fuseDeviceProblem(dir.resolve("fuse")).orElseThrow();
        assertEquals(dir.resolve("fuse") + ": ENOENT (No such file or directory)", missing.getMessage());
        dev.jbox.testing.Rootless.assumeUnprivileged();  // root may open any file
        Path locked = Files.createFile(dir.resolve("locked"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r--------")));
        JboxException eacces = LiveHost.fuseDeviceProblem(locked).orElseThrow();
        assertEquals(locked + ": EACCES (Permission denied)", eacces.getMessage());
        assertTrue(eacces.hint().contains("chmod 0666"), eacces.hint());
        Path open = Files.createFile(dir.resolve("open"));
        assertEquals(Optional.empty(), LiveHost.fuseDeviceProblem(open));
    }
}
