package dev.jbox.cli;

import dev.jbox.spec.RootFs;
import dev.jbox.spec.SpecException;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code jbox run} flags as the top profile layer, parsed without running anything. */
class RunFlagsTest {
    /** Parsed by picocli's model, after checking that the fast parser means the same. */
    private static RunCommand parse(String... args) {
        String[] line = Stream.concat(Stream.of("run"), Stream.of(args)).toArray(String[]::new);
        FastRunParserTest.agreesWithPicocli(line);
        return JboxCommand.parseRun(line);
    }

    @Test
    void storageOptionsGoWithTheImage() {
        RunCommand run = parse("--image", "alpine:3", "--storage-opt", "overlay.mount_program=fuse-overlayfs", "--", "true");
        assertEquals(new RootFs.Image("alpine:3", Map.of("overlay.mount_program", "fuse-overlayfs")), run.spec().rootfs());
        SpecException e = assertThrows(SpecException.class, () -> parse("--image", "a", "--storage-opt", "fuse", "--", "true").spec());
        assertEquals("--storage-opt fuse: expected NAME=VALUE, e.g. overlay.mount_program=fuse-overlayfs", e.getMessage());
    }
}
