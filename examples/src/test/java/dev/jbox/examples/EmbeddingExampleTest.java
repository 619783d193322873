package dev.jbox.examples;

import dev.jbox.testing.Rootless;
import dev.jbox.testing.TestRootfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddingExampleTest {
    @Test
    void countsLinesInsideASandbox(@TempDir Path input) throws Exception {
        Rootless.assumeUnprivileged();
        Files.writeString(input.resolve("a.txt"), "1\n2\n3\n");
        String out = EmbeddingExample.countLines(TestRootfs.shared(), input);
        assertTrue(out.contains("3 a.txt"), out);
    }
}
