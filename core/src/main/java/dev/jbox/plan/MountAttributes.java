package dev.jbox.plan;

import dev.jbox.linux.MountFlags;

import java.util.ArrayList;
import java.util.List;

/** Names of mount_setattr attribute bits, for messages. */
final class MountAttributes {
    private MountAttributes() {}

    static String names(long attributes) {
        List<String> names = new ArrayList<>();
        if ((attributes & MountFlags.MOUNT_ATTR_RDONLY) != 0) names.add("ro");
        if ((attributes & MountFlags.MOUNT_ATTR_NOSUID) != 0) names.add("nosuid");
        if ((attributes & MountFlags.MOUNT_ATTR_NODEV) != 0) names.add("nodev");
        if ((attributes & MountFlags.MOUNT_ATTR_NOEXEC) != 0) names.add("noexec");
        return String.join(",", names);
    }
}
