package dev.jbox;

import java.nio.file.Path;

/**
 * Where jbox keeps per-user runtime state: {@code $XDG_RUNTIME_DIR/jbox}, else
 * {@code /tmp/jbox-<uid>} (created 0700 by whoever needs it first).
 */
public final class RuntimeDirs {
    private RuntimeDirs() {}

    public static Path forSandbox(int uid) {
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        return xdg != null && !xdg.isEmpty() ? Path.of(xdg, "jbox") : Path.of("/tmp", "jbox-" + uid);
    }
}
