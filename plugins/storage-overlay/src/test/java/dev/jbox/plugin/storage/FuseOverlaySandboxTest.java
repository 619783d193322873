package dev.jbox.plugin.storage;

import dev.jbox.JboxException;
import dev.jbox.Sandbox;
import dev.jbox.launch.SandboxProcess;
import dev.jbox.plugins.Plugins;
import dev.jbox.spec.RootFs;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.testing.Capture;
import dev.jbox.testing.Rootless;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code jbox run --image} with fuse-overlayfs instead of the kernel's overlayfs (forced with
 * {@code overlay.mount_program}, or chosen because the kernel refused): the same image semantics,
 * and no fuse-overlayfs process, mount or directory left after the sandbox — nor after jbox is
 * SIGKILLed. An image pulled from a real local registry, sandboxes run as an unprivileged user.
 */
class FuseOverlaySandboxTest {
    static final Map<String, String> FORCE_FUSE = Map.of("overlay.mount_program", "fuse-overlayfs");

    @TempDir
    static Path tmp;
    static PulledImage pulled;

    @BeforeAll
    static void pullImage() throws Exception {
        Rootless.assumeUnprivileged();
        FuseOverlay.assumeUsable();
        pulled = PulledImage.start(tmp, "fuse/busybox");
    }

    @AfterAll
    static void stop() throws Exception {
        if (pulled != null) pulled.close();
    }

    @AfterEach
    void nothingLeftBehind() throws Exception {
        if (pulled == null) return;
        assertEquals(List.of(), FuseOverlay.processesFor(pulled.store.layout().root()), "fuse-overlayfs processes left");
        assertEquals(List.of(), pulled.sandboxDirs(), "writable layers (and their merged dirs) left");
    }

    static SandboxSpec.Builder image(Map<String, String> options, String... command) {
        return SandboxSpec.builder().rootfs(new RootFs.Image(pulled.ref, options)).command(command);
    }

    private static Capture run(SandboxSpec.Builder spec) {
        return pulled.run(spec);
    }

    @Test
    void theRootIsAFuseOverlayfsMountAndTheImagesDefaultsApply() {
        Capture c = run(SandboxSpec.builder().rootfs(new RootFs.Image(pulled.ref, FORCE_FUSE)));
        assertEquals(0, c.status(), c.err());
        assertEquals("hello from /srv\n", c.out());
        Capture mounts = run(image(FORCE_FUSE, "/bin/sh", "-c", "cat /proc/self/mountinfo"));
        String root = mounts.out().lines().filter(l -> l.split(" ")[4].equals("/")).findFirst().orElseThrow();
        assertTrue(root.contains(" - fuse.fuse-overlayfs "), root);
    }

    @Test
    void deletedFilesAndOpaqueDirsOfUpperLayersAreInvisibleInside() {
        Capture c = run(image(FORCE_FUSE, "/bin/sh", "-c", "ls /etc; ls /data; cat /data/c; test -e /etc/gone.txt && echo VISIBLE || true"));
        assertEquals(0, c.status(), c.err());
        assertEquals(List.of("keep.txt", "c", "upper c"), c.out().lines().toList());
    }

    @Test
    void writesLandInTheWritableLayerOnlyAndVanishWithAnUnnamedSandbox() throws Exception {
        Capture c = run(image(FORCE_FUSE, "/bin/sh", "-c", "echo new > /srv/new.txt; rm /etc/keep.txt; cat /srv/new.txt; ls /etc | wc -l"));
        assertEquals(0, c.status(), c.err());
        assertEquals(List.of("new", "0"), c.out().lines().map(String::strip).toList());
        for (Path layer : Files.list(pulled.store.layout().layers()).filter(p -> !p.endsWith("l")).toList()) {
            try (Stream<Path> files = Files.walk(layer)) {
                assertTrue(files.noneMatch(p -> p.endsWith("new.txt")), "the shared layers are untouched");
            }
        }
        assertTrue(Files.exists(pulled.store.layers().diffDir(pulled.store.require(pulled.ref).layers().getFirst()).resolve("etc/keep.txt")));
        Capture again = run(image(FORCE_FUSE, "/bin/sh", "-c", "ls /srv; cat /etc/keep.txt"));
        assertEquals("app.txt\nkept", again.out());
    }

    @Test
    void aNamedSandboxKeepsItsWritesInItsUpperDir() throws Exception {
        Capture c = run(image(FORCE_FUSE, "/bin/sh", "-c", "echo state > /srv/state; rm /etc/keep.txt").name("fused"));
        assertEquals(0, c.status(), c.err());
        Path dir = pulled.store.layout().sandbox(pulled.store.sandboxes().find("fused").orElseThrow().id());
        try {
            assertEquals("state\n", Files.readString(dir.resolve("upper/srv/state")));
            assertTrue(Files.exists(dir.resolve("upper/etc/keep.txt"), java.nio.file.LinkOption.NOFOLLOW_LINKS), "a whiteout hides the deleted file");
            assertFalse(Files.exists(dir.resolve("merged")), "the mount point went with the helper");
        } finally {
            assertTrue(new OverlayStorageProvider(pulled.store).remove("fused"));
        }
    }

    @Test
    void theHelperEndsWithTheSandboxAndItsMountIsInNoOtherNamespace() throws Exception {
        SandboxProcess p = pulled.jbox.launch(image(FORCE_FUSE, "/bin/sh", "-c", "echo up; read x").stdin(Redirect.PIPE).stdout(Redirect.PIPE).build());
        try {
            assertEquals('u', p.getInputStream().read(), "the sandbox is running");
            List<Long> helpers = FuseOverlay.processesFor(pulled.store.layout().root());
            assertEquals(1, helpers.size(), "one fuse-overlayfs for the sandbox");
            assertEquals(ProcessHandle.current().pid(), ProcessHandle.of(helpers.getFirst()).orElseThrow().parent().orElseThrow().pid(),
                    "a child of jbox, not of the sandbox");
            assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains("fuse-overlayfs"), "mounted in the sandbox's namespace only");
            p.getOutputStream().close();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
        p.onExit().get(30, TimeUnit.SECONDS);  // the hooks have run: @AfterEach checks that nothing is left
    }

    @Test
    void theHelperAndTheSandboxEndWhenJboxIsKilled() throws Exception {
        long[] pids = FuseOverlay.killHolder(pulled.store.layout().root(), pulled.ref);
        FuseOverlay.awaitEnded(pids[1], "the sandbox dies with its parent");
        FuseOverlay.awaitEnded(pids[0], "fuse-overlayfs outlived the killed jbox");
        assertEquals(List.of(), FuseOverlay.processesFor(pulled.store.layout().root()));
        pulled.store.cleanIfIdle();  // what the next pull or rmi does: the killed jbox's writable layer goes
    }

    @Test
    void theKernelsRefusalChoosesFuseOverlayfs() {
        Sandbox refusing = new Sandbox(Plugins.of(List.of(new OverlayStorageProvider(pulled.store, FuseOverlay.hostWhereTheKernelRefuses())),
                List.of(), List.of()));
        Capture c = Capture.run(refusing.launch(image(Map.of(), "/bin/sh", "-c", "grep ' / / ' /proc/self/mountinfo")
                .stdout(Redirect.PIPE).stderr(Redirect.PIPE).build()));
        assertEquals(0, c.status(), c.err());
        assertTrue(c.out().contains("fuse.fuse-overlayfs"), c.out());
        assertTrue(refusing.plan(image(Map.of(), "true").build()).render().contains("(mounted there by "), "the dry run shows the helper");
    }

    @Test
    void aMissingMountProgramIs125BeforeAnythingIsCreated() throws Exception {
        JboxException e = assertThrows(JboxException.class,
                () -> pulled.jbox.launch(image(Map.of("overlay.mount_program", "/nonexistent/fuse-overlayfs"), "true").build()));
        assertEquals(125, e.exitCode());
        assertTrue(e.userMessage().startsWith("/nonexistent/fuse-overlayfs is not installed"), e.userMessage());
        JboxException unknown = assertThrows(JboxException.class, () -> pulled.jbox.launch(image(Map.of("overlay.mountprogram", "x"), "true").build()));
        assertTrue(unknown.userMessage().contains("unknown storage option overlay.mountprogram=x"), unknown.userMessage());
    }

    @Test
    void aHelperThatFailsIsReportedWithWhatItSaid() throws Exception {
        Path fake = tmp.resolve("fake-fuse-overlayfs");
        Files.writeString(fake, "#!/bin/sh\necho 'fuse: device not found, try modprobe fuse first' >&2\nexit 1\n");
        fake.toFile().setExecutable(true);
        JboxException e = assertThrows(JboxException.class,
                () -> pulled.jbox.launch(image(Map.of("overlay.mount_program", fake.toString()), "true").build()));
        assertEquals(125, e.exitCode());
        assertTrue(e.getMessage().contains("exited with status 1 before mounting") && e.getMessage().contains("fuse: device not found"), e.getMessage());
        assertEquals("load the fuse module: sudo modprobe fuse", e.hint());
    }
}
