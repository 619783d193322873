package dev.jbox.launch;

import dev.jbox.linux.Linux;
import dev.jbox.linux.NativeBytes;
import dev.jbox.linux.SyscallException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;

/** Java streams over raw pipe fds (the parent's ends of the sandbox's PIPE redirects). */
final class FdStreams {
    private FdStreams() {}

    private static final int BUFFER = 64 * 1024;

    static InputStream input(int fd) {
        return new InputStream() {
            private final Arena arena = Arena.ofShared();
            private final MemorySegment buf = arena.allocate(BUFFER);
            private final AtomicBoolean closed = new AtomicBoolean();

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public synchronized int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) return 0;
                if (closed.get()) throw new IOException("stream closed");
                try {
                    int n = Linux.read(fd, buf, Math.min(len, BUFFER));
                    if (n == 0) return -1;
                    NativeBytes.view(buf).get(0, b, off, n);
                    return n;
                } catch (SyscallException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }

            @Override
            public void close() {
                if (closed.compareAndSet(false, true)) {
                    Linux.close(fd);
                    synchronized (this) {
                        arena.close();
                    }
                }
            }
        };
    }

    static OutputStream output(int fd) {
        return new OutputStream() {
            private final AtomicBoolean closed = new AtomicBoolean();

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (closed.get()) throw new IOException("stream closed");
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment buf = arena.allocate(Math.max(len, 1));
                    NativeBytes.view(buf).put(0, b, off, len);
                    Linux.writeFully(fd, buf.asSlice(0, len), "stdin of the sandbox");
                } catch (SyscallException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }

            @Override
            public void close() {
                if (closed.compareAndSet(false, true)) Linux.close(fd);
            }
        };
    }
}
