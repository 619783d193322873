package dev.jbox.linux;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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

    /** {@code value} as a NUL-terminated UTF-8 string. */
    public static MemorySegment cString(SegmentAllocator allocator, String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
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
}
