package dev.jbox.plugin.storage;

import dev.jbox.plugin.storage.mount.LiveHost;
import dev.jbox.plugin.storage.mount.MounterChoice;
import dev.jbox.plugin.storage.store.StoreLayout;
import dev.jbox.testing.Rootless;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The probe that decides the automatic fallback, run for real: it agrees with util-linux's mount here, and leaves only its record. */
class OverlayProbeTest {
    @Test
    void theProbeFindsTheKernelsOverlayWhereUnshareAndMountFindIt(@TempDir Path dir) throws Exception {
        Rootless.assumeUnprivileged();
        Overlay.assumeUnprivilegedOverlay();
        Files.createDirectories(dir.resolve("o/l"));
        Files.createDirectories(dir.resolve("o/u"));
        Files.createDirectories(dir.resolve("o/w"));
        Overlay.Result mount = Overlay.exec(List.of("unshare", "-rm", "sh", "-c",
                "cd " + dir.resolve("o") + " && mkdir m && mount -t overlay overlay -o lowerdir=l,upperdir=u,workdir=w,userxattr m"));
        StoreLayout layout = new StoreLayout(dir.resolve("store")).ensureCreated();

        MounterChoice.KernelOverlay probed = new LiveHost(layout).kernelOverlay();

        assertEquals(mount.exit() == 0, probed.works(), "probe: " + probed + ", mount(8): " + mount.output());
        List<String> record = Files.readAllLines(layout.root().resolve("overlay-probe"));
        assertEquals(Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip(), record.get(0));
        assertEquals(probed, new LiveHost(layout).kernelOverlay(), "the recorded answer is used");
        try (var debris = Files.list(layout.tmp())) {
            assertEquals(List.of(), debris.toList(), "the probe's directories are gone");
        }
    }
}
