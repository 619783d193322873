package dev.jbox.cli;

import dev.jbox.spec.RootFs;
import dev.jbox.spec.SpecException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code jbox run} flags as the top profile layer, parsed without running anything. */
class RunFlagsTest {
    private static RunCommand parse(String... args) {
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs(args);
        return run;
    }

    @Test
    void storageOptionsGoWithTheImage() {
        RunCommand run = parse("--image", "alpine:3", "--storage-opt", "overlay.mount_program=fuse-overlayfs", "--", "true");
        assertEquals(new RootFs.Image("alpine:3", Map.of("overlay.mount_program", "fuse-overlayfs")), run.spec().rootfs());
        SpecException e = assertThrows(SpecException.class, () -> parse("--image", "a", "--storage-opt", "fuse", "--", "true").spec());
        assertEquals("--storage-opt fuse: expected NAME=VALUE, e.g. overlay.mount_program=fuse-overlayfs", e.getMessage());
    }
}
