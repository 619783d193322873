package dev.jbox.spec;

import java.nio.file.Path;

/** A mount requested by the user, applied in order after the standard mounts. */
public sealed interface MountSpec {
    /** Absolute path inside the sandbox. */
    String target();

    /** {@code -v SRC:DST[:ro]}: a host path bound (recursively, nosuid, nodev) into the sandbox. */
    record Bind(Path source, String target, boolean readOnly) implements MountSpec {}

    /** {@code --tmpfs DST[:OPTIONS]}: a fresh tmpfs. */
    record Tmpfs(String target, String options) implements MountSpec {}
}
