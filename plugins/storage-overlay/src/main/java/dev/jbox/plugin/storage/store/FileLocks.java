package dev.jbox.plugin.storage.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Shared/exclusive locks on lock files that work between processes and between threads of one
 * JVM. {@link FileChannel#lock} alone is per process (and throws on a second overlapping lock in
 * the same JVM), so each file also has an in-JVM semaphore: a shared holder takes one permit, an
 * exclusive holder all of them. Not reentrant, on purpose: a thread asking twice is a bug.
 */
public final class FileLocks {
    private FileLocks() {}

    private static final int PERMITS = Integer.MAX_VALUE;
    private static final ConcurrentHashMap<Path, Entry> ENTRIES = new ConcurrentHashMap<>();

    /** The process-wide state of one lock file. */
    private static final class Entry {
        final Semaphore permits = new Semaphore(PERMITS, true);
        int sharedHolders;
        FileChannel channel;
        FileLock lock;
    }

    /** A held lock; closing releases it. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    public static Held shared(Path file) {
        Entry e = entry(file);
        e.permits.acquireUninterruptibly(1);
        return lockShared(file, e, true);
    }

    public static Held exclusive(Path file) {
        Entry e = entry(file);
        e.permits.acquireUninterruptibly(PERMITS);
        return lockExclusive(file, e, true);
    }

    /** The exclusive lock if nobody (in any process) holds the file; null otherwise. */
    public static Held tryExclusive(Path file) {
        Entry e = entry(file);
        if (!e.permits.tryAcquire(PERMITS)) return null;
        return lockExclusive(file, e, false);
    }

    /** The shared lock if nobody holds the file exclusively; null otherwise. */
    public static Held tryShared(Path file) {
        Entry e = entry(file);
        if (!e.permits.tryAcquire(1)) return null;
        return lockShared(file, e, false);
    }

    private static Entry entry(Path file) {
        return ENTRIES.computeIfAbsent(file.toAbsolutePath().normalize(), p -> new Entry());
    }

    private static Held lockExclusive(Path file, Entry e, boolean wait) {
        try {
            FileChannel ch = open(file);
            FileLock lock = wait ? ch.lock() : ch.tryLock();
            if (lock == null) {
                ch.close();
                e.permits.release(PERMITS);
                return null;
            }
            return () -> {
                closeQuietly(lock, ch);
                e.permits.release(PERMITS);
            };
        } catch (IOException | RuntimeException ex) {
            e.permits.release(PERMITS);
            throw wrap(file, ex);
        }
    }

    private static Held lockShared(Path file, Entry e, boolean wait) {
        synchronized (e) {
            try {
                if (e.sharedHolders == 0) {
                    FileChannel ch = open(file);
                    FileLock lock = wait ? ch.lock(0, Long.MAX_VALUE, true) : ch.tryLock(0, Long.MAX_VALUE, true);
                    if (lock == null) {
                        ch.close();
                        e.permits.release(1);
                        return null;
                    }
                    e.channel = ch;
                    e.lock = lock;
                }
                e.sharedHolders++;
            } catch (IOException | RuntimeException ex) {
                e.permits.release(1);
                throw wrap(file, ex);
            }
        }
        return () -> {
            synchronized (e) {
                if (--e.sharedHolders == 0) {
                    closeQuietly(e.lock, e.channel);
                    e.lock = null;
                    e.channel = null;
                }
            }
            e.permits.release(1);
        };
    }

    private static FileChannel open(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    private static void closeQuietly(FileLock lock, FileChannel ch) {
        try {
            if (lock != null) lock.release();
        } catch (IOException ignored) {
            // closing the channel below releases it anyway
        }
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing left to do with a lock file we are done with
        }
    }

    private static RuntimeException wrap(Path file, Exception ex) {
        return ex instanceof IOException io ? new UncheckedIOException("locking " + file, io) : (RuntimeException) ex;
    }
}
