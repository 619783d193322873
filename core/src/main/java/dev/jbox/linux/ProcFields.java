package dev.jbox.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One field of a small /proc file ({@code SigCgt:} of /proc/self/status, {@code Pid:} of
 * /proc/self/fdinfo/N), read with one {@code read(2)} into a per-thread buffer. The launcher reads
 * two such fields per launch; {@code Files.readAllLines} cost ~30 µs each.
 */
public final class ProcFields {
    private ProcFields() {}

    /** /proc/self/status is ~1.5 KiB; the fields jbox reads are in its first half. */
    private static final int BUFFER = 4096;
    private static final ThreadLocal<MemorySegment> BUFFERS = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(BUFFER));

    /** The value after {@code key} (e.g. {@code "SigCgt:"}) on its line, trimmed; empty if the file or the key is missing. */
    public static Optional<String> field(String path, String key) {
        int fd;
        try {
            fd = Linux.openat(Linux.AT_FDCWD, path, Linux.O_RDONLY | Linux.O_CLOEXEC, 0);
        } catch (SyscallException e) {
            return Optional.empty();
        }
        try {
            MemorySegment buf = BUFFERS.get();
            int n = Linux.read(fd, buf, BUFFER);
            return find(new String(NativeBytes.toArray(buf.asSlice(0, n)), StandardCharsets.ISO_8859_1), key);
        } catch (SyscallException e) {
            return Optional.empty();
        } finally {
            Linux.close(fd);
        }
    }

    /** The value of {@code key} in the text of a /proc file: lines of {@code Key:<tab>value}. */
    static Optional<String> find(String text, String key) {
        int at = text.startsWith(key) ? 0 : text.indexOf("\n" + key);
        if (at < 0) return Optional.empty();
        int start = at == 0 ? key.length() : at + 1 + key.length();
        int end = text.indexOf('\n', start);
        return Optional.of(text.substring(start, end < 0 ? text.length() : end).trim());
    }
}
