package dev.jbox.spi;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A root filesystem a storage provider has prepared, and the image's defaults for the workload. */
public record PreparedRoot(RootMount mount, ImageDefaults defaults, LaunchHooks hooks) {

    /** How the chain mounts the root. Host paths; the launcher rewrites them for the chain. */
    public sealed interface RootMount {
        /** The host's {@code /}, bind-mounted read-only (jbox's default; not returned by plugins). */
        record HostRoot() implements RootMount {}

        /** A plain directory, bind-mounted. */
        record Bind(Path directory) implements RootMount {}

        /**
         * Kernel overlayfs with {@code userxattr}. {@code lowerDirs} are given relative to
         * {@code baseDir} (short names keep the mount data under a page, as podman does).
         */
        record Overlay(Path baseDir, List<String> lowerDirs, Path upperDir, Path workDir) implements RootMount {}

        /**
         * The same layers mounted by fuse-overlayfs, in userspace (the kernel cannot, or the user
         * asked). The provider's hooks start {@code helper} inside the sandbox's user and mount
         * namespaces when the id maps are written ({@link LaunchHooks#childCreated}) and return
         * once it has mounted on {@code mountPoint}: a host directory, mounted in a mount
         * namespace the sandbox is cloned with (there must be one to join by then). The sandbox
         * then unshares its own mount namespace below it (as podman's containers sit below
         * fuse-overlayfs's), inherits the mount, and bind-mounts {@code mountPoint} as the root.
         * {@code helper} is the helper's command line, shown by {@code --dry-run}.
         */
        record FuseOverlay(Overlay layers, Path mountPoint, List<String> helper) implements RootMount {
            public FuseOverlay {
                helper = List.copyOf(helper);
            }
        }
    }

    /** The image config's defaults; any may be empty. Applied unless the user overrides them. */
    public record ImageDefaults(List<String> entrypoint, List<String> cmd, Map<String, String> env, String workdir, String user) {
        public static final ImageDefaults NONE = new ImageDefaults(List.of(), List.of(), Map.of(), null, null);
    }
}
