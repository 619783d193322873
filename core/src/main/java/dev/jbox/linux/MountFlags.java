package dev.jbox.linux;

/** Flags of mount(2), mount_setattr(2) and umount2(2), from linux/mount.h. */
public final class MountFlags {
    private MountFlags() {}

    public static final long MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_REMOUNT = 32,
            MS_BIND = 4096, MS_REC = 16384, MS_PRIVATE = 1 << 18, MS_STRICTATIME = 1 << 24;

    public static final long MOUNT_ATTR_RDONLY = 1, MOUNT_ATTR_NOSUID = 2, MOUNT_ATTR_NODEV = 4, MOUNT_ATTR_NOEXEC = 8;
    public static final int AT_RECURSIVE = 0x8000;
    public static final int MNT_DETACH = 2;
}
