package dev.jbox.cli;

import dev.jbox.spec.NetworkMode;
import dev.jbox.spec.NetworkSpec;
import dev.jbox.spec.RootFs;
import dev.jbox.spec.SpecException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void hostAbstractSocketsCanBeAllowedWithTheHostNetworkOnly() {
        assertTrue(parse("--network", "host", "--", "true").spec().network().blocksHostAbstractSockets());
        NetworkSpec allowed = parse("--network=host", "--allow-host-abstract-sockets", "--", "true").spec().network();
        assertEquals(new NetworkSpec(NetworkMode.HOST, List.of(), false, true), allowed);
        assertFalse(allowed.blocksHostAbstractSockets());
        for (String mode : List.of("none", "slirp", "pasta", "auto")) {
            SpecException e = assertThrows(SpecException.class, () -> parse("--network", mode, "--allow-host-abstract-sockets", "--", "true").spec());
            assertEquals("--allow-host-abstract-sockets (allow_host_abstract_sockets) needs --network host: with --network " + mode
                    + " the sandbox's abstract unix sockets are its own, the host's are out of reach", e.getMessage());
        }
        assertThrows(SpecException.class, () -> parse("--allow-host-abstract-sockets", "--", "true").spec(), "the default network is none");
    }
}
