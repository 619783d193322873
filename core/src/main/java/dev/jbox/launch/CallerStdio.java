package dev.jbox.launch;

import dev.jbox.linux.Sys;
import dev.jbox.linux.Syscall;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * Whether this JVM's fd 0, 1 or 2 is a stream its caller passed, which {@link
 * ProcessBuilder.Redirect#INHERIT} hands on to the sandbox. A caller that closed its stdio (daemons,
 * cron, some CI runners do) leaves the slot to the next file this process opens: the JVM's runtime
 * image at fd 0, a class path jar, a file or directory of jbox's or of a plugin's. Such a file must
 * never reach the workload (the runc CVE-2024-21626 class: a leaked directory fd led out of the
 * root), so the sandbox gets /dev/null instead, as podman gives it.
 */
final class CallerStdio {
    private CallerStdio() {}

    private static final int F_GETFD = 1, F_GETFL = 3, FD_CLOEXEC = 1;
    private static final int O_ACCMODE = 3, O_WRONLY = 1, O_RDWR = 2, O_PATH = 010000000;

    /** The file the JVM opens first, without close-on-exec: what fills a closed fd 0. */
    private static final Path RUNTIME_IMAGE = Path.of(System.getProperty("java.home"), "lib", "modules");

    /** Whether {@code stdFd} (0, 1 or 2) is the caller's stdin, stdout or stderr. */
    static boolean passed(int stdFd) {
        return isCallerStream(stdFd, stdFd == 0);
    }

    /**
     * Whether {@code fd} can be a stream the caller passed, read by the sandbox if {@code reads}
     * else written. Each rule rejects what this process may have opened itself; none rejects a
     * stream the sandbox could use in that direction, except the JVM's own runtime image.
     */
    static boolean isCallerStream(int fd, boolean reads) {
        long fdFlags = Syscall.callOrErrno(Sys.FCNTL, fd, F_GETFD);
        // Closed; or close-on-exec, which no fd inherited through exec carries (HotSpot and jbox
        // open their files with it).
        if (fdFlags < 0 || (fdFlags & FD_CLOEXEC) != 0) return false;
        long status = Syscall.callOrErrno(Sys.FCNTL, fd, F_GETFL);
        if (status < 0 || (status & O_PATH) != 0) return false;
        long access = status & O_ACCMODE;
        // The wrong direction: java.io and NIO open without close-on-exec, but open jars and the
        // runtime image read-only, useless as stdout or stderr.
        if (reads ? access == O_WRONLY : access != O_WRONLY && access != O_RDWR) return false;
        return access != 0 || isReadableStream(fd);  // only read-only fds can be a directory or the image
    }

    /** A read-only fd: neither a directory (never a stream) nor the JVM's runtime image. */
    private static boolean isReadableStream(int fd) {
        try {
            BasicFileAttributes file = Files.readAttributes(Path.of("/proc/self/fd/" + fd), BasicFileAttributes.class);
            return !file.isDirectory() && !Objects.equals(file.fileKey(), runtimeImageKey());
        } catch (IOException e) {
            return false;  // an fd /proc cannot describe is not handed on
        }
    }

    private static Object runtimeImageKey() {
        try {
            return Files.readAttributes(RUNTIME_IMAGE, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;  // no such image (an exploded JDK build): nothing to compare with
        }
    }
}
