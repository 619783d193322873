package dev.jbox.plugin.storage.mount;

import dev.jbox.linux.Errno;
import dev.jbox.linux.Linux;
import dev.jbox.linux.MountInfo;
import dev.jbox.linux.Sys;
import dev.jbox.linux.Syscall;
import dev.jbox.linux.SyscallException;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Waits until something is mounted on a directory in another process's mount namespace, without
 * sleeping: an open {@code /proc/PID/mountinfo} reports every mount and unmount in that namespace
 * to poll(2) as POLLPRI (proc(5)).
 */
final class MountWatch {
    private MountWatch() {}

    private static final short POLLPRI = 2;
    /** How often {@code keepWaiting} is asked while nothing changes. */
    private static final long SLICE_NANOS = Duration.ofMillis(10).toNanos();

    /**
     * True once {@code mountPoint} is a mount point in the namespace of {@code pid}; false when
     * {@code keepWaiting} says stop (the mounting helper died) or {@code timeout} passed.
     */
    static boolean await(int pid, Path mountPoint, BooleanSupplier keepWaiting, Duration timeout) throws IOException {
        Path mountinfo = Path.of("/proc/" + pid + "/mountinfo");
        // Opened before the first read: a mount after this open is reported, even one before the poll.
        int fd = Linux.openat(Linux.AT_FDCWD, mountinfo.toString(), Linux.O_RDONLY | Linux.O_CLOEXEC, 0);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pollfd = arena.allocate(8, 4);  // struct pollfd { int fd; short events, revents; }
            MemorySegment slice = arena.allocate(16, 8);  // struct timespec { time_t tv_sec; long tv_nsec; }
            pollfd.set(JAVA_INT, 0, fd);
            pollfd.set(JAVA_SHORT, 4, POLLPRI);
            slice.set(JAVA_LONG, 0, 0);
            slice.set(JAVA_LONG, 8, SLICE_NANOS);
            while (true) {
                if (isMountPoint(Files.readAllLines(mountinfo), mountPoint.toString())) return true;
                if (!keepWaiting.getAsBoolean() || System.nanoTime() > deadline) return false;
                // int ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *tmo_p, const sigset_t *sigmask);
                long r = Syscall.callOrErrno(Sys.PPOLL, pollfd.address(), 1, slice.address(), 0, 8);
                if (r < 0 && r != -Errno.EINTR.number) throw new SyscallException("ppoll", mountinfo.toString(), (int) -r);
            }
        } finally {
            Linux.close(fd);
        }
    }

    /** Whether a line of mountinfo has {@code path} as its mount point (field 5, octal escapes undone). */
    static boolean isMountPoint(List<String> mountinfo, String path) {
        for (String line : mountinfo) {
            String[] fields = line.split(" ", 6);
            if (fields.length > 4 && MountInfo.unescape(fields[4]).equals(path)) return true;
        }
        return false;
    }
}
