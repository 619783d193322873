package dev.jbox.launch;

import dev.jbox.JboxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** In-root resolution of mount targets: symlinks and .. never leave the root. */
class RootTargetsTest {
    @TempDir Path root;
    @TempDir Path outside;

    RootTargets targets() {
        return new RootTargets(List.of(root));
    }

    @Test
    void existingDirectoryResolvesToItself() throws Exception {
        Files.createDirectories(root.resolve("etc"));
        assertEquals("/etc", targets().prepare("/etc", true));
    }

    @Test
    void missingTargetsAreCreatedInTheRoot() {
        assertEquals("/a/b/c", targets().prepare("/a/b/c", true));
        assertTrue(Files.isDirectory(root.resolve("a/b/c")));
        assertEquals("/a/file", targets().prepare("/a/file", false));
        assertTrue(Files.isRegularFile(root.resolve("a/file")));
    }

    @Test
    void absoluteSymlinksAreResolvedInsideTheRoot() throws Exception {
        Files.createSymbolicLink(root.resolve("escape"), outside);
        String resolved = targets().prepare("/escape/data", true);
        assertEquals(outside + "/data", resolved);
        assertTrue(Files.isDirectory(root.resolve(outside.toString().substring(1)).resolve("data")));
        try (var s = Files.list(outside)) {
            assertEquals(0, s.count(), "nothing created outside the root");
        }
    }

    @Test
    void dotDotStopsAtTheRoot() throws Exception {
        Files.createSymbolicLink(root.resolve("up"), Path.of("../../../../.."));
        assertEquals("/x", targets().prepare("/up/x", true));
        assertEquals("/y", targets().prepare("/../../y", true));
        assertTrue(Files.isDirectory(root.resolve("x")));
    }

    @Test
    void relativeSymlinksResolveFromTheirDirectory() throws Exception {
        Files.createDirectories(root.resolve("usr/lib"));
        Files.createSymbolicLink(root.resolve("lib"), Path.of("usr/lib"));
        assertEquals("/usr/lib/mod", targets().prepare("/lib/mod", true));
    }

    @Test
    void symlinkLoopsAreRefused() throws Exception {
        Files.createSymbolicLink(root.resolve("a"), Path.of("b"));
        Files.createSymbolicLink(root.resolve("b"), Path.of("a"));
        JboxException e = assertThrows(JboxException.class, () -> targets().prepare("/a/x", true));
        assertTrue(e.getMessage().contains("ELOOP"), e.getMessage());
    }

    @Test
    void aFileInTheMiddleOfAPathIsAnError() throws Exception {
        Files.writeString(root.resolve("f"), "");
        assertThrows(JboxException.class, () -> targets().prepare("/f/x", true));
    }

    @Test
    void resolveCreatesNothing() throws Exception {
        Files.createSymbolicLink(root.resolve("t"), Path.of("/tmp"));
        assertEquals("/tmp/x", targets().resolve("/t/x"));
        assertFalse(Files.exists(root.resolve("tmp")));
    }

    @Test
    void upperLayerWinsAndMissingTargetsGoToIt(@TempDir Path upper) throws Exception {
        Files.createDirectories(root.resolve("etc"));
        RootTargets layered = new RootTargets(List.of(upper, root));
        assertEquals("/etc/new", layered.prepare("/etc/new", false));
        assertTrue(Files.isRegularFile(upper.resolve("etc/new")));
        assertFalse(Files.exists(root.resolve("etc/new")), "lower layers are never written");
    }
}
