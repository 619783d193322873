package dev.jbox.spec;

import java.nio.file.Path;

/** Where the sandbox's {@code /} comes from. */
public sealed interface RootFs {
    /** The host's {@code /}, bind-mounted read-only, with private /tmp, /proc, /dev (the default). */
    record Host() implements RootFs {}

    /** A directory on the host used as the root filesystem. */
    record Directory(Path path) implements RootFs {
        public Directory {
            if (!path.isAbsolute()) path = path.toAbsolutePath();
        }
    }

    /** An image by reference ({@code name[:tag]}), provided by a storage plugin. */
    record Image(String reference) implements RootFs {}

    RootFs HOST = new Host();
}
