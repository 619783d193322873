package dev.jbox.plugin.storage.mount;

import java.nio.file.Path;

/** Who mounts a sandbox's image layers: the kernel's overlayfs, or fuse-overlayfs in userspace. */
public sealed interface OverlayMounter {
    record Kernel() implements OverlayMounter {}

    /** @param why what made it the choice, for messages: "asked for with overlay.mount_program", "the kernel refused …" */
    record Fuse(Path program, String why) implements OverlayMounter {}
}
