package dev.jbox.testing;

import dev.jbox.linux.Linux;
import org.junit.jupiter.api.Assumptions;

/** Guards for integration tests: jbox is rootless, and testing it as root proves nothing. */
public final class Rootless {
    private Rootless() {}

    public static void assumeUnprivileged() {
        Assumptions.assumeTrue(Linux.getuid() != 0,
                "integration tests run sandboxes as an unprivileged user (.ci/run does); as root they would prove nothing");
    }
}
