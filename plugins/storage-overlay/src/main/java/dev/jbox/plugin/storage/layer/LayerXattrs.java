package dev.jbox.plugin.storage.layer;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Extended attributes stored in a layer tar's PAX headers: {@code SCHILY.xattr.NAME=value} (GNU tar,
 * star, Go's archive/tar, so docker and buildah), and libarchive's
 * {@code LIBARCHIVE.xattr.NAME=base64(value)} (NAME URL-encoded). Commons Compress hands PAX values
 * over as UTF-8 text, so a SCHILY value that is not valid UTF-8 (a binary capability set) does not
 * arrive intact; those are never applied anyway, see {@link #settableUserName}.
 */
final class LayerXattrs {
    private LayerXattrs() {}

    private static final String SCHILY = "SCHILY.xattr.", LIBARCHIVE = "LIBARCHIVE.xattr.";
    /** user.* attributes that overlayfs and fuse-overlayfs read as their own metadata: a layer must not set them. */
    private static final List<String> UNION_METADATA = List.of("user.overlay.", "user.fuseoverlayfs.", "user.containers.");

    /** The entry's attributes by name, values as bytes. */
    static Map<String, byte[]> of(TarArchiveEntry entry) {
        Map<String, byte[]> out = new TreeMap<>();
        for (var header : entry.getExtraPaxHeaders().entrySet()) {
            String key = header.getKey();
            if (key.startsWith(SCHILY)) {
                out.put(key.substring(SCHILY.length()), header.getValue().getBytes(StandardCharsets.UTF_8));
            } else if (key.startsWith(LIBARCHIVE)) {
                try {
                    out.put(URLDecoder.decode(key.substring(LIBARCHIVE.length()), StandardCharsets.UTF_8), Base64.getDecoder().decode(header.getValue().strip()));
                } catch (IllegalArgumentException notBase64) {
                    out.put(key.substring(LIBARCHIVE.length()), new byte[0]);
                }
            }
        }
        return out;
    }

    /**
     * The name to give {@code UserDefinedFileAttributeView} (without {@code user.}) if an unprivileged
     * user may set this attribute on the host's filesystem and it is the image's own; else null.
     * security.capability, trusted.*, security.selinux and system.posix_acl_* need privileges (or
     * mean nothing outside the image's host), and overlay's own user.overlay.* would change how the
     * layers are merged.
     */
    static String settableUserName(String name) {
        if (!name.startsWith("user.") || name.length() == "user.".length()) return null;
        for (String prefix : UNION_METADATA) if (name.startsWith(prefix)) return null;
        return name.substring("user.".length());
    }
}
