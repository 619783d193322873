package dev.jbox.plugin.storage;

import dev.jbox.JboxException;
import dev.jbox.Sandbox;
import dev.jbox.launch.SandboxProcess;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.testing.Capture;
import dev.jbox.testing.Rootless;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end: {@code jbox run --image} through the core's launcher (Sandbox API) with this plugin,
 * an image pulled from a real local registry, run as an unprivileged user.
 */
class ImageSandboxTest {
    @TempDir
    static Path tmp;
    static PulledImage pulled;
    static ImageStore store;
    static Sandbox jbox;
    static String ref;

    @BeforeAll
    static void pullImage() throws Exception {
        Rootless.assumeUnprivileged();
        Overlay.assumeUnprivilegedOverlay();
        pulled = PulledImage.start(tmp, "e2e/busybox");
        store = pulled.store;
        jbox = pulled.jbox;
        ref = pulled.ref;
    }

    @AfterAll
    static void stop() throws Exception {
        if (pulled != null) pulled.close();
    }

    private static Capture run(SandboxSpec.Builder spec) {
        return pulled.run(spec);
    }

    private static SandboxSpec.Builder image(String... command) {
        return SandboxSpec.builder().image(ref).command(command);
    }

    private static List<Path> sandboxDirs() throws Exception {
        return pulled.sandboxDirs();
    }

    @Test
    void theImagesDefaultCommandRunsWithItsEnvAndWorkingDir() {
        Capture c = run(SandboxSpec.builder().image(ref));
        assertEquals(0, c.status(), c.err());
        assertEquals("hello from /srv\n", c.out());
    }

    @Test
    void deletedFilesAndOpaqueDirsOfUpperLayersAreInvisibleInside() {
        Capture c = run(image("/bin/sh", "-c", "ls /etc; ls /data; cat /data/c; test -e /etc/gone.txt && echo VISIBLE || true"));
        assertEquals(0, c.status(), c.err());
        assertEquals(List.of("keep.txt", "c", "upper c"), c.out().lines().toList());
    }

    @Test
    void writesLandInTheWritableLayerAndVanishWithAnUnnamedSandbox() throws Exception {
        Capture c = run(image("/bin/sh", "-c", "echo new > /srv/new.txt; rm /etc/keep.txt; cat /srv/new.txt; ls /etc | wc -l"));
        assertEquals(0, c.status(), c.err());
        assertEquals(List.of("new", "0"), c.out().lines().map(String::strip).toList());
        for (Path layer : Files.list(store.layout().layers()).filter(p -> !p.endsWith("l")).toList()) {
            try (Stream<Path> files = Files.walk(layer)) {
                assertTrue(files.noneMatch(p -> p.endsWith("new.txt")), "the shared layers are untouched");
            }
        }
        assertTrue(Files.exists(store.layers().diffDir(store.require(ref).layers().getFirst()).resolve("etc/keep.txt")));
        assertEquals(List.of(), sandboxDirs(), "the writable layer went with the sandbox (--rm)");
        Capture again = run(image("/bin/sh", "-c", "ls /srv; cat /etc/keep.txt"));
        assertEquals("app.txt\nkept", again.out());
    }

    @Test
    void aNamedSandboxKeepsItsWritesAndItsImageUntilRemoved() throws Exception {
        Capture c = run(image("/bin/sh", "-c", "echo state > /srv/state").name("keeper"));
        assertEquals(0, c.status(), c.err());
        Path upper = store.layout().sandboxes().resolve(store.sandboxes().find("keeper").orElseThrow().id()).resolve("upper");
        assertEquals("state\n", Files.readString(upper.resolve("srv/state")));
        JboxException refused = assertThrows(JboxException.class, () -> store.remove(ref));
        assertTrue(refused.userMessage().contains("keeper (kept)"), refused.userMessage());
        assertTrue(new OverlayStorageProvider(store).remove("keeper"));
        assertFalse(Files.exists(upper));
    }

    @Test
    void rmiIsRefusedWhileASandboxRunsOnTheImage() throws Exception {
        SandboxProcess p = jbox.launch(image("/bin/sh", "-c", "echo up; read x").stdin(Redirect.PIPE).stdout(Redirect.PIPE).build());
        try {
            assertEquals('u', p.getInputStream().read(), "the sandbox is running");
            JboxException refused = assertThrows(JboxException.class, () -> store.remove(ref));
            assertTrue(refused.userMessage().contains("(running)"), refused.userMessage());
            p.getOutputStream().close();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
        p.onExit().get(30, TimeUnit.SECONDS); // exit hooks (and the writable layer's removal) have run
        assertEquals(List.of(), sandboxDirs());
    }
}
