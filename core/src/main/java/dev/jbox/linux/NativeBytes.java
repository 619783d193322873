package dev.jbox.linux;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Native memory read and written through a direct ByteBuffer view instead of MemorySegment's
 * {@code get}/{@code set}: those link a VarHandle per layout at first use, 2-4 ms each in a fresh
 * JVM, most of a cold {@code jbox run}'s native data handling (docs/bench.md "The CLI").
 */
public final class NativeBytes {
    private NativeBytes() {}

    /** A view of {@code segment} in the machine's byte order; absolute puts and gets only. */
    public static ByteBuffer view(MemorySegment segment) {
        return segment.asByteBuffer().order(ByteOrder.nativeOrder());
    }

    public static int getInt(MemorySegment segment, long offset) {
        return view(segment).getInt(Math.toIntExact(offset));
    }

    /** {@code value} as a NUL-terminated UTF-8 string (a file name's escaped bytes restored: {@link #pathBytes}). */
    public static MemorySegment cString(SegmentAllocator allocator, String value) {
        byte[] utf8 = pathBytes(value);
        MemorySegment s = allocator.allocate(utf8.length + 1L);
        view(s).put(0, utf8).put(utf8.length, (byte) 0);
        return s;
    }

    /**
     * A copy of {@code bytes} in memory from {@code allocator}. Array copies go through views too:
     * MemorySegment's own ({@code copy}, {@code allocateFrom}, {@code toArray}) pick the array's
     * element type with a pattern switch, whose bootstrap costs a cold JVM ~1 ms.
     */
    public static MemorySegment copyOf(SegmentAllocator allocator, byte[] bytes) {
        MemorySegment s = allocator.allocate(bytes.length);
        view(s).put(0, bytes);
        return s;
    }

    /** The bytes of {@code segment}. */
    public static byte[] toArray(MemorySegment segment) {
        byte[] bytes = new byte[Math.toIntExact(segment.byteSize())];
        view(segment).get(0, bytes);
        return bytes;
    }

    /**
     * A file name's bytes: UTF-8, except that each lone surrogate U+DC80-U+DCFF stands for the one
     * byte it escapes ({@link #decodePath}). So a name that is not UTF-8 (Python's PEP 383 way)
     * survives a trip through a Java String and reaches the kernel unchanged.
     */
    public static byte[] pathBytes(String path) {
        if (!hasSurrogate(path)) return path.getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(path.length() + 8);
        int start = 0;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < ESCAPE_FIRST || c > ESCAPE_LAST) continue;
            if (Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(path.charAt(i - 1))) continue;
            out.writeBytes(path.substring(start, i).getBytes(StandardCharsets.UTF_8));
            out.write(c - 0xDC00);
            start = i + 1;
        }
        out.writeBytes(path.substring(start).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** The inverse of {@link #pathBytes}: UTF-8, and each byte that is not part of valid UTF-8 as U+DC00 plus its value. */
    public static String decodePath(byte[] bytes, int from, int to) {
        if (isAscii(bytes, from, to)) return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, from, to - from);
        CharBuffer out = CharBuffer.allocate(to - from);
        while (true) {
            CoderResult r = decoder.decode(in, out, true);
            if (!r.isError()) break;
            for (int i = 0; i < r.length(); i++) out.put((char) (0xDC00 + (in.get() & 0xFF)));
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    private static final char ESCAPE_FIRST = 0xDC80, ESCAPE_LAST = 0xDCFF;

    private static boolean isAscii(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) if (bytes[i] < 0) return false;
        return true;
    }

    private static boolean hasSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) if (Character.isSurrogate(s.charAt(i))) return true;
        return false;
    }
}
