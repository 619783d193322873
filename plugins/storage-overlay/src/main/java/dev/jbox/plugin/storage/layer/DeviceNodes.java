package dev.jbox.plugin.storage.layer;

import dev.jbox.JboxException;
import dev.jbox.linux.Linux;
import dev.jbox.linux.Sys;
import dev.jbox.linux.Syscall;
import dev.jbox.linux.SyscallException;

import java.lang.foreign.Arena;
import java.nio.file.Path;

/** The special files an unprivileged user may create: overlay whiteouts (0/0 char devices, Linux ≥ 5.8) and FIFOs. */
final class DeviceNodes {
    private DeviceNodes() {}

    static final int S_IFCHR = 0020000, S_IFIFO = 0010000;

    /** An overlay whiteout: a character device with device number 0/0 hides the same name below. */
    static void whiteout(Path path) {
        try {
            mknodat(path, S_IFCHR, 0);
        } catch (SyscallException e) {
            throw new JboxException("creating the overlay whiteout " + path + ": " + e.getMessage(),
                    "Linux ≥ 5.8 lets unprivileged users create whiteouts; jbox needs Linux ≥ 5.11");
        }
    }

    static void fifo(Path path, int permissions) {
        mknodat(path, S_IFIFO | (permissions & 07777), 0);
    }

    /** int mknodat(int dirfd, const char *pathname, mode_t mode, dev_t dev); */
    private static void mknodat(Path path, int mode, long dev) {
        String p = path.toString();
        try (Arena arena = Arena.ofConfined()) {
            Syscall.call(Sys.MKNODAT, p, Linux.AT_FDCWD, arena.allocateFrom(p).address(), mode, dev);
        }
    }
}
