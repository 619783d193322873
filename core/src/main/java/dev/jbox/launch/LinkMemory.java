package dev.jbox.launch;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The native memory a launch uses (~1.3 MB for a typical sandbox: see {@link NativeChain}), reused
 * across launches: allocating, zeroing and freeing it for every launch cost ~100 µs. A block goes
 * back to the pool only once the child no longer runs on it (clone returned: it exec'd or died)
 * and the parent has read its errno slots; a block never given back is reclaimed by the GC. Only
 * the data the chain reads before writing needs zeroing (NativeChain does it): every context is
 * a full copy of a saved one, and stale bytes on a link's stack are never read.
 */
final class LinkMemory {
    /** Blocks kept for reuse; more concurrent launches than this allocate (and free) their own. */
    private static final int KEPT = 4;
    private static final ConcurrentLinkedQueue<MemorySegment> FREE = new ConcurrentLinkedQueue<>();

    final MemorySegment block;

    private LinkMemory(MemorySegment block) {
        this.block = block;
    }

    /** A block of at least {@code bytes}, 16-byte aligned: a kept one if one is large enough. */
    static LinkMemory take(long bytes) {
        for (int tries = 0; tries < KEPT; tries++) {
            MemorySegment kept = FREE.poll();
            if (kept == null) break;
            if (kept.byteSize() >= bytes) return new LinkMemory(kept);
        }
        return new LinkMemory(Arena.ofAuto().allocate(bytes, 16));
    }

    /** Gives the block back; call only when no child can still run on it. */
    void release() {
        if (FREE.size() < KEPT) FREE.offer(block);
    }
}
