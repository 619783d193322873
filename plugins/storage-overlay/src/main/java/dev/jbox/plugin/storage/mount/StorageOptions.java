package dev.jbox.plugin.storage.mount;

import dev.jbox.JboxException;

import java.util.Map;
import java.util.Optional;

/**
 * The storage options a sandbox was given ({@code --storage-opt NAME=VALUE}, a profile's
 * {@code [storage_opt]}), named as podman's. Only what this plugin understands is accepted.
 *
 * @param mountProgram {@code overlay.mount_program}: a program with fuse-overlayfs's command line
 *                     (a name looked up in PATH, or a path) that mounts the layers instead of the kernel
 */
public record StorageOptions(Optional<String> mountProgram) {
    public static final String MOUNT_PROGRAM = "overlay.mount_program";
    public static final StorageOptions NONE = new StorageOptions(Optional.empty());

    public static StorageOptions parse(Map<String, String> options) {
        Optional<String> mountProgram = Optional.empty();
        for (var option : options.entrySet()) {
            if (!option.getKey().equals(MOUNT_PROGRAM)) {
                throw new JboxException("unknown storage option " + option.getKey() + "=" + option.getValue(),
                        "the image storage knows " + MOUNT_PROGRAM + ", e.g. --storage-opt " + MOUNT_PROGRAM + "=fuse-overlayfs");
            }
            if (option.getValue().isBlank()) {
                throw new JboxException("storage option " + MOUNT_PROGRAM + " is empty", "name the program: " + MOUNT_PROGRAM + "=fuse-overlayfs");
            }
            mountProgram = Optional.of(option.getValue());
        }
        return new StorageOptions(mountProgram);
    }
}
