package dev.jbox.launch;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Reuse of the chain's native memory between launches. */
class LinkMemoryTest {
    @Test
    void aReleasedBlockServesTheNextLaunchThatFitsIt() {
        LinkMemory first = LinkMemory.take(64 * 1024);
        first.release();
        LinkMemory second = LinkMemory.take(32 * 1024);
        assertEquals(first.block.address(), second.block.address());
        assertEquals(0, second.block.address() % 16, "16-byte aligned, as ucontexts and stacks need");
        second.release();
    }

    @Test
    void aLargerChainGetsABlockLargeEnough() {
        LinkMemory.take(4096).release();
        LinkMemory big = LinkMemory.take(2 * 1024 * 1024);
        assertTrue(big.block.byteSize() >= 2 * 1024 * 1024);
        big.release();
    }

    @Test
    void blocksInUseAreNeverSharedBetweenConcurrentLaunches() {
        LinkMemory a = LinkMemory.take(8192), b = LinkMemory.take(8192);
        assertNotEquals(a.block.address(), b.block.address());
        a.release();
        b.release();
    }
}
