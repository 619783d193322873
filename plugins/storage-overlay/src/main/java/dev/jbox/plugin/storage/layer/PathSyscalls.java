package dev.jbox.plugin.storage.layer;

import dev.jbox.JboxException;
import dev.jbox.linux.Errno;
import dev.jbox.linux.Linux;
import dev.jbox.linux.Sys;
import dev.jbox.linux.Syscall;
import dev.jbox.linux.SyscallException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The path-based calls extraction needs and the JDK does not offer without opening the file
 * (opening a FIFO blocks; opening a mode-0000 file fails): overlay whiteouts and FIFOs
 * ({@code mknodat}), modes with setuid bits ({@code fchmodat}), times of symlinks and FIFOs
 * ({@code utimensat} with {@code AT_SYMLINK_NOFOLLOW}).
 */
final class PathSyscalls {
    private PathSyscalls() {}

    static final int S_IFCHR = 0020000, S_IFIFO = 0010000;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final long UTIME_OMIT = (1L << 30) - 2;

    /** An overlay whiteout: a character device with device number 0/0 hides the same name below. */
    static void whiteout(Path path) throws FileAlreadyExistsException {
        try {
            mknodat(path, S_IFCHR, 0);
        } catch (SyscallException e) {
            if (e.errnoValue() == Errno.EEXIST) throw new FileAlreadyExistsException(path.toString());
            throw new JboxException("creating the overlay whiteout " + path + ": " + e.getMessage(),
                    "Linux ≥ 5.8 lets unprivileged users create whiteouts; jbox needs Linux ≥ 5.11");
        }
    }

    static void fifo(Path path, int permissions) throws FileAlreadyExistsException {
        try {
            mknodat(path, S_IFIFO | (permissions & 07777), 0);
        } catch (SyscallException e) {
            if (e.errnoValue() == Errno.EEXIST) throw new FileAlreadyExistsException(path.toString());
            throw e;
        }
    }

    /** int mknodat(int dirfd, const char *pathname, mode_t mode, dev_t dev); */
    private static void mknodat(Path path, int mode, long dev) {
        String p = path.toString();
        try (Arena arena = Arena.ofConfined()) {
            Syscall.call(Sys.MKNODAT, p, Linux.AT_FDCWD, arena.allocateFrom(p).address(), mode, dev);
        }
    }

    /** int fchmodat(int dirfd, const char *pathname, mode_t mode); follows symlinks: call it on files and dirs only. */
    static void chmod(Path path, int mode) {
        String p = path.toString();
        try (Arena arena = Arena.ofConfined()) {
            Syscall.call(Sys.FCHMODAT, p, Linux.AT_FDCWD, arena.allocateFrom(p).address(), mode & 07777);
        }
    }

    /** int utimensat(int dirfd, const char *pathname, const struct timespec times[2], AT_SYMLINK_NOFOLLOW); sets mtime only. */
    static void setMtime(Path path, FileTime mtime) {
        if (mtime == null) return;
        String p = path.toString();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment times = arena.allocate(JAVA_LONG, 4); // {atime: sec, nsec}, {mtime: sec, nsec}
            times.setAtIndex(JAVA_LONG, 0, 0);
            times.setAtIndex(JAVA_LONG, 1, UTIME_OMIT);
            times.setAtIndex(JAVA_LONG, 2, mtime.toInstant().getEpochSecond());
            times.setAtIndex(JAVA_LONG, 3, mtime.toInstant().getNano());
            Syscall.call(Sys.UTIMENSAT, p, Linux.AT_FDCWD, arena.allocateFrom(p).address(), times.address(), AT_SYMLINK_NOFOLLOW);
        }
    }
}
