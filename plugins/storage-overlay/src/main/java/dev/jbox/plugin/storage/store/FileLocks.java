package dev.jbox.plugin.storage.store;

import dev.jbox.linux.Errno;
import dev.jbox.linux.Linux;
import dev.jbox.linux.Sys;
import dev.jbox.linux.Syscall;
import dev.jbox.linux.SyscallException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Shared/exclusive locks on lock files (or directories), with {@code flock(2)}: a lock belongs to an open file
 * description, so it excludes other processes and, through separate opens, other threads of this
 * JVM alike. (FileChannel's POSIX record locks are per process: they throw on a second lock in one
 * JVM, and the kernel's deadlock detection reports EDEADLK when two multi-threaded pulls wait for
 * each other's layers, though no thread is actually deadlocked.) The fds are close-on-exec.
 */
public final class FileLocks {
    private FileLocks() {}

    private static final int LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4;

    /** A held lock; closing releases it (once). */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    public static Held shared(Path file) {
        return lock(file, LOCK_SH);
    }

    public static Held exclusive(Path file) {
        return lock(file, LOCK_EX);
    }

    /** The exclusive lock if nobody (in any process or thread) holds the file; null otherwise. */
    public static Held tryExclusive(Path file) {
        return lock(file, LOCK_EX | LOCK_NB);
    }

    private static Held lock(Path file, int operation) {
        int fd = open(file);
        while (true) {
            // int flock(int fd, int operation); blocks this thread only (no Java lock is held meanwhile)
            long r = Syscall.callOrErrno(Sys.FLOCK, fd, operation);
            if (r == 0) break;
            if (r == -Errno.EINTR.number) continue;
            Linux.close(fd);
            if (r == -Errno.EAGAIN.number && (operation & LOCK_NB) != 0) return null;
            throw new SyscallException("flock", file.toString(), (int) -r);
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) Linux.close(fd);
        };
    }

    /** A directory is locked as it is; a lock file is created if missing. */
    private static int open(Path file) {
        if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
            return Linux.openat(Linux.AT_FDCWD, file.toString(), Linux.O_RDONLY | Linux.O_DIRECTORY | Linux.O_CLOEXEC, 0);
        }
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("creating the directory of " + file, e);
        }
        return Linux.openat(Linux.AT_FDCWD, file.toString(), Linux.O_RDWR | Linux.O_CREAT | Linux.O_CLOEXEC, 0600);
    }
}
