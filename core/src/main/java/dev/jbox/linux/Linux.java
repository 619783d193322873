package dev.jbox.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Thin wrappers, one per system call the parent side makes, each named after it with its C
 * prototype in the comment. Failures become {@link SyscallException}s here and nowhere else.
 */
public final class Linux {
    private Linux() {}

    public static final int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0100, O_TRUNC = 01000,
            O_APPEND = 02000, O_NOCTTY = 0400, O_NONBLOCK = 04000, O_DIRECTORY = 0200000, O_NOFOLLOW = 0400000, O_CLOEXEC = 02000000;
    public static final int AT_FDCWD = -100;
    public static final int P_PIDFD = 3, WEXITED = 4, WNOHANG = 1, WNOWAIT = 0x01000000;
    public static final int POLLIN = 1;

    /** int pipe2(int pipefd[2], int flags); returns {read end, write end}. */
    public static int[] pipe2(int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            Syscall.call(Sys.PIPE2, "", fds.address(), flags);
            return new int[] {NativeBytes.getInt(fds, 0), NativeBytes.getInt(fds, 4)};
        }
    }

    /** int close(int fd); errors are ignored: there is nothing useful to do about them. */
    public static void close(int fd) {
        if (fd >= 0) Syscall.callOrErrno(Sys.CLOSE, fd);
    }

    /** int openat(int dirfd, const char *pathname, int flags, mode_t mode); */
    public static int openat(int dirfd, String path, int flags, int mode) {
        int fd = openatOrErrno(dirfd, path, flags, mode);
        if (fd < 0) throw new SyscallException(Sys.OPENAT.callName(), path, -fd);
        return fd;
    }

    /** As {@link #openat}, returning {@code -errno} on failure: for files whose absence is expected. */
    public static int openatOrErrno(int dirfd, String path, int flags, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) Syscall.callOrErrno(Sys.OPENAT, dirfd, NativeBytes.cString(arena, path).address(), flags, mode);
        }
    }

    public static final int S_IFMT = 0170000, S_IFSOCK = 0140000;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100, STATX_TYPE = 1, STATX_MODE_OFFSET = 28, STATX_SIZE = 256, W_OK = 2;

    /** The file type (S_IFMT bits) of {@code path} itself, a final symlink not followed (statx); -errno when it cannot be looked at. */
    public static int fileType(String path) {
        try (Arena arena = Arena.ofConfined()) {
            return fileType(arena, NativeBytes.cString(arena, path));
        }
    }

    /** Whether this process may write {@code path}: search permission on its directories, write on it (faccessat2, W_OK). */
    public static boolean mayWrite(String path) {
        try (Arena arena = Arena.ofConfined()) {
            return mayWrite(NativeBytes.cString(arena, path));
        }
    }

    /** Whether {@code path} is a socket this process may connect to (what connect(2) checks): one name copied, two calls. */
    public static boolean isConnectableSocket(String path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = NativeBytes.cString(arena, path);
            return fileType(arena, name) == S_IFSOCK && mayWrite(name);
        }
    }

    private static int fileType(Arena arena, MemorySegment path) {
        MemorySegment statx = arena.allocate(STATX_SIZE);
        long r = Syscall.callOrErrno(Sys.STATX, AT_FDCWD, path.address(), AT_SYMLINK_NOFOLLOW, STATX_TYPE, statx.address());
        return r < 0 ? (int) r : NativeBytes.view(statx).getShort(STATX_MODE_OFFSET) & S_IFMT;
    }

    private static boolean mayWrite(MemorySegment path) {
        return Syscall.callOrErrno(Sys.FACCESSAT2, AT_FDCWD, path.address(), W_OK, AT_SYMLINK_NOFOLLOW) == 0;
    }

    /** ssize_t read(int fd, void *buf, size_t count); returns 0 at EOF. Retries EINTR. */
    public static int read(int fd, MemorySegment buf, long count) {
        while (true) {
            long r = Syscall.callOrErrno(Sys.READ, fd, buf.address(), count);
            if (r >= 0) return (int) r;
            if (r != -Errno.EINTR.number) throw new SyscallException("read", "fd " + fd, (int) -r);
        }
    }

    /** ssize_t write(int fd, const void *buf, size_t count); writes everything. Retries EINTR. */
    public static void writeFully(int fd, MemorySegment buf, String what) {
        long done = 0;
        while (done < buf.byteSize()) {
            long r = Syscall.callOrErrno(Sys.WRITE, fd, buf.address() + done, buf.byteSize() - done);
            if (r == -Errno.EINTR.number) continue;
            if (r < 0) throw new SyscallException("write", what, (int) -r);
            done += r;
        }
    }

    /** open + write + close, for the small files in /proc (id maps, setgroups). One write, as the kernel wants. */
    public static void writeFile(String path, String content) {
        int fd = openat(AT_FDCWD, path, O_WRONLY | O_CLOEXEC, 0);
        try (Arena arena = Arena.ofConfined()) {
            writeFully(fd, NativeBytes.copyOf(arena, content.getBytes(StandardCharsets.UTF_8)), path);
        } finally {
            close(fd);
        }
    }

    /** int pidfd_send_signal(int pidfd, int sig, siginfo_t *info, unsigned int flags); false if already gone. */
    public static boolean pidfdSendSignal(int pidfd, int signal) {
        long r = Syscall.callOrErrno(Sys.PIDFD_SEND_SIGNAL, pidfd, signal, 0, 0);
        if (r == -Errno.ESRCH.number) return false;
        if (r < 0) throw new SyscallException("pidfd_send_signal", "signal " + signal, (int) -r);
        return true;
    }

    /** How a child ended, from its siginfo_t: {@code code} is CLD_EXITED, CLD_KILLED or CLD_DUMPED. */
    public record ChildEnd(int code, int status) {
        public static final int CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3;
    }

    /** int waitid(P_PIDFD, pidfd, siginfo_t *infop, WEXITED); blocks until the child exits and reaps it. Retries EINTR. */
    public static ChildEnd waitid(int pidfd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(128);
            long r;
            do {
                r = Syscall.callOrErrno(Sys.WAITID, P_PIDFD, pidfd, info.address(), WEXITED, 0);
            } while (r == -Errno.EINTR.number);
            if (r < 0) throw new SyscallException("waitid", "pidfd " + pidfd, (int) -r);
            // siginfo_t for SIGCHLD: si_code at 8, si_status at 24.
            return new ChildEnd(NativeBytes.getInt(info, 8), NativeBytes.getInt(info, 24));
        }
    }

    /** exit_group(2): ends the process, every thread with it, at once; nothing of the JVM's exit runs. */
    public static void exitGroup(int status) {
        Syscall.callOrErrno(Sys.EXIT_GROUP, status);
        throw new IllegalStateException("exit_group returned");
    }

    /** uid_t getuid(void); */
    public static int getuid() { return (int) Syscall.callOrErrno(Sys.GETUID); }

    /** gid_t getgid(void); */
    public static int getgid() { return (int) Syscall.callOrErrno(Sys.GETGID); }
}
