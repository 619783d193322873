package dev.jbox.spec;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

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

    /**
     * An image by reference ({@code name[:tag]}), provided by a storage plugin, with options for
     * that plugin named as podman's {@code --storage-opt} ({@code overlay.mount_program=fuse-overlayfs});
     * the plugin checks the names.
     */
    record Image(String reference, Map<String, String> storageOptions) implements RootFs {
        public Image {
            storageOptions = Collections.unmodifiableMap(new LinkedHashMap<>(storageOptions));
            for (var option : storageOptions.entrySet()) {
                if (option.getKey().isEmpty() || option.getKey().contains("=") || (option.getKey() + option.getValue()).indexOf('\0') >= 0) {
                    throw new SpecException("storage option " + option.getKey() + "=" + option.getValue() + ": expected NAME=VALUE, e.g. overlay.mount_program=fuse-overlayfs");
                }
            }
        }

        public Image(String reference) {
            this(reference, Map.of());
        }
    }

    RootFs HOST = new Host();
}
