package dev.jbox.plan;

/**
 * Resolves a mount target to the path it really is inside the sandbox's root, without ever
 * following a symlink out of that root, and creates it when missing (where the root allows).
 * The real implementations touch the filesystem; unit tests pass a double.
 */
public interface MountTargets {
    /**
     * @param target    absolute path inside the sandbox
     * @param directory whether a missing target is created as a directory (else an empty file)
     * @return the canonical absolute path inside the sandbox, free of symlinks
     */
    String prepare(String target, boolean directory);

    /** The target with every symlink resolved inside the root (missing parts kept as given); creates nothing. */
    String resolve(String target);

    /** Whether the (resolved) path exists in the root. */
    boolean exists(String path);

    /** Targets taken as given: for tests and dry runs. */
    MountTargets AS_GIVEN = new MountTargets() {
        @Override
        public String prepare(String target, boolean directory) {
            return target;
        }

        @Override
        public String resolve(String target) {
            return java.nio.file.Path.of(target).normalize().toString();
        }

        @Override
        public boolean exists(String path) {
            return true;
        }
    };
}
