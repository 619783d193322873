package dev.jbox.plugin.storage.mount;

import dev.jbox.JboxException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** The auto-fallback decision: the user's choice, then the kernel's overlayfs where it works, then fuse-overlayfs. */
class MounterChoiceTest {
    static final Path FUSE = Path.of("/usr/bin/fuse-overlayfs");

    /** A host described by facts; counts how often the probe is asked. */
    static final class FakeHost implements MounterChoice.Host {
        final KernelRelease kernel;
        final MounterChoice.KernelOverlay overlay;
        final Map<String, Path> programs;
        final Optional<JboxException> device;
        final AtomicInteger probes = new AtomicInteger();

        FakeHost(String kernel, MounterChoice.KernelOverlay overlay, Map<String, Path> programs, Optional<JboxException> device) {
            this.kernel = KernelRelease.parse(kernel);
            this.overlay = overlay;
            this.programs = programs;
            this.device = device;
        }

        public KernelRelease kernel() { return kernel; }
        public MounterChoice.KernelOverlay kernelOverlay() { probes.incrementAndGet(); return overlay; }
        public Optional<Path> program(String nameOrPath) { return Optional.ofNullable(programs.get(nameOrPath)); }
        public Optional<JboxException> fuseDeviceProblem() { return device; }
    }

    static final MounterChoice.KernelOverlay REFUSED = new MounterChoice.KernelOverlay(false, "mount: EPERM (Operation not permitted)");
    static final Map<String, Path> INSTALLED = Map.of("fuse-overlayfs", FUSE);
    static final StorageOptions AUTO = StorageOptions.NONE;

    static FakeHost host(String kernel, MounterChoice.KernelOverlay overlay, Map<String, Path> programs) {
        return new FakeHost(kernel, overlay, programs, Optional.empty());
    }

    @Test
    void theKernelMountsWhereItCanEvenWithFuseOverlayfsInstalled() {
        FakeHost h = host("6.1.0-18-amd64", MounterChoice.KernelOverlay.WORKS, INSTALLED);
        assertEquals(new OverlayMounter.Kernel(), MounterChoice.choose(AUTO, h));
        assertEquals(1, h.probes.get());
    }

    @Test
    void aKernelBefore511FallsBackWithoutProbing() {
        FakeHost h = host("5.10.0-28-amd64", MounterChoice.KernelOverlay.WORKS, INSTALLED);
        OverlayMounter.Fuse fuse = assertInstanceOf(OverlayMounter.Fuse.class, MounterChoice.choose(AUTO, h));
        assertEquals(FUSE, fuse.program());
        assertEquals("Linux 5.10 cannot mount overlayfs unprivileged (5.11 or newer can)", fuse.why());
        assertEquals(0, h.probes.get(), "no probe: the answer is known");
    }

    @Test
    void aRefusedProbeFallsBackAndSaysWhy() {
        OverlayMounter.Fuse fuse = assertInstanceOf(OverlayMounter.Fuse.class, MounterChoice.choose(AUTO, host("6.18.1", REFUSED, INSTALLED)));
        assertEquals("the kernel refused an unprivileged overlay mount here (mount: EPERM (Operation not permitted))", fuse.why());
    }

    @Test
    void theUsersChoiceWinsAndSkipsTheProbe() {
        FakeHost h = host("6.18.1", MounterChoice.KernelOverlay.WORKS, Map.of("/opt/fo", Path.of("/opt/fo")));
        OverlayMounter.Fuse fuse = assertInstanceOf(OverlayMounter.Fuse.class,
                MounterChoice.choose(StorageOptions.parse(Map.of("overlay.mount_program", "/opt/fo")), h));
        assertEquals(Path.of("/opt/fo"), fuse.program());
        assertEquals("asked for with overlay.mount_program", fuse.why());
        assertEquals(0, h.probes.get());
    }

    @Test
    void aMissingFallbackIs125WithTheReasonAndTheInstallHint() {
        JboxException e = assertThrows(JboxException.class, () -> MounterChoice.choose(AUTO, host("5.4.0", REFUSED, Map.of())));
        assertEquals(125, e.exitCode());
        assertEquals("Linux 5.4 cannot mount overlayfs unprivileged (5.11 or newer can), and fuse-overlayfs is not installed to mount the image instead",
                e.getMessage());
        assertTrue(e.hint().startsWith("install it: apt install fuse-overlayfs"), e.hint());
    }

    @Test
    void aMissingChosenProgramIs125() {
        JboxException e = assertThrows(JboxException.class,
                () -> MounterChoice.choose(StorageOptions.parse(Map.of("overlay.mount_program", "fuse-overlayfs")), host("6.18.1", REFUSED, Map.of())));
        assertEquals("fuse-overlayfs is not installed (storage option overlay.mount_program=fuse-overlayfs)", e.getMessage());
        assertEquals(125, e.exitCode());
    }

    @Test
    void anUnusableFuseDeviceIsReportedOnlyWhenFuseIsNeeded() {
        JboxException eacces = new JboxException("/dev/fuse: EACCES (Permission denied)", "sudo chmod 0666 /dev/fuse");
        FakeHost kernelWorks = new FakeHost("6.18.1", MounterChoice.KernelOverlay.WORKS, INSTALLED, Optional.of(eacces));
        assertEquals(new OverlayMounter.Kernel(), MounterChoice.choose(AUTO, kernelWorks));
        FakeHost refused = new FakeHost("6.18.1", REFUSED, INSTALLED, Optional.of(eacces));
        JboxException e = assertThrows(JboxException.class, () -> MounterChoice.choose(AUTO, refused));
        assertTrue(e.getMessage().startsWith("/dev/fuse: EACCES (Permission denied): fuse-overlayfs cannot mount the image (the kernel refused"),
                e.getMessage());
        assertEquals("sudo chmod 0666 /dev/fuse", e.hint());
    }

    @Test
    void optionsArePodmansNamesAndOnlyThoseThisPluginKnows() {
        assertEquals(Optional.of("fuse-overlayfs"), StorageOptions.parse(Map.of("overlay.mount_program", "fuse-overlayfs")).mountProgram());
        assertEquals(StorageOptions.NONE, StorageOptions.parse(Map.of()));
        JboxException unknown = assertThrows(JboxException.class, () -> StorageOptions.parse(Map.of("overlay.ignore_chown_errors", "true")));
        assertEquals("unknown storage option overlay.ignore_chown_errors=true", unknown.getMessage());
        assertThrows(JboxException.class, () -> StorageOptions.parse(Map.of("overlay.mount_program", " ")));
    }

    @Test
    void kernelReleases() {
        assertTrue(KernelRelease.parse("5.11.0").hasUnprivilegedOverlay());
        assertTrue(KernelRelease.parse("6.1.0-18-amd64\n").hasUnprivilegedOverlay());
        assertTrue(KernelRelease.parse("10.0").hasUnprivilegedOverlay());
        assertFalse(KernelRelease.parse("5.10.209").hasUnprivilegedOverlay());
        assertFalse(KernelRelease.parse("4.19.0-26-amd64").hasUnprivilegedOverlay());
        assertThrows(IllegalArgumentException.class, () -> KernelRelease.parse("linux"));
    }
}
