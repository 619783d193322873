package dev.jbox.launch;

import dev.jbox.linux.Arch;
import dev.jbox.linux.NativeBytes;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** makecontext's effect, learned and replayed, against glibc's own: no process is started. */
class ContextRecipeTest {
    private static final Arch ARCH = Arch.current();
    private static final int CONTEXT = (int) ARCH.ucontextBytes, STACK = (int) NativeChain.LINK_STACK, STRIDE = CONTEXT + STACK;
    private static final int STACK_TOP = STRIDE - ContextRecipe.STACK_TOP;

    private static ContextRecipe.Preparer preparer(byte[] saved) {
        return (words, address, at, successor) -> NativeChain.prepareLink(saved, words, address, at, successor, ARCH);
    }

    private static byte[] savedContext(Arena arena) {
        MemorySegment uc = arena.allocate(CONTEXT, 16);
        dev.jbox.linux.Syscall.callFunction(dev.jbox.linux.Syscall.libcSymbol("getcontext"), uc.address());
        return uc.asSlice(0, ARCH.ucontextSize).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    @Test
    void replayedLinksAreWhatMakecontextMakes() {
        try (Arena arena = Arena.ofConfined()) {
            ContextRecipe.Preparer prepare = preparer(savedContext(arena));
            Optional<ContextRecipe> recipe = ContextRecipe.learn(STRIDE, (int) ARCH.ucontextSize, STACK_TOP, prepare, NativeChain::makecontext);
            assertTrue(recipe.isPresent(), "glibc's makecontext only stores its inputs and stack addresses");
            MemorySegment links = arena.allocate(2L * STRIDE, 16);  // the link is made in either half
            ByteBuffer words = NativeBytes.view(links);
            Random random = new Random(7);
            for (int round = 0; round < 50; round++) {
                long[] args = random.longs(6).toArray();
                long[] inputs = ContextRecipe.inputs(random.nextLong(), args, random.nextBoolean() ? 0 : random.nextLong());
                links.fill((byte) random.nextInt());  // a reused block holds old bytes
                int at = random.nextBoolean() ? 0 : STRIDE;
                long address = links.address() + at;
                prepare.prepare(words, address, at, inputs[ContextRecipe.SUCCESSOR]);
                NativeChain.makecontext(address, inputs);
                byte[] madeContext = bytes(links, at, (int) ARCH.ucontextSize), madeStackTop = bytes(links, at + STACK_TOP, ContextRecipe.STACK_TOP);
                prepare.prepare(words, address, at, inputs[ContextRecipe.SUCCESSOR]);
                recipe.get().apply(words, address, at, inputs);
                assertArrayEquals(madeContext, bytes(links, at, (int) ARCH.ucontextSize), "context, round " + round);
                assertArrayEquals(madeStackTop, bytes(links, at + STACK_TOP, ContextRecipe.STACK_TOP), "top of the stack, round " + round);
            }
        }
    }

    @Test
    void aMakecontextThatDoesMoreThanStoreItsInputsIsNotReplayed() {
        try (Arena arena = Arena.ofConfined()) {
            ContextRecipe.Preparer prepare = preparer(savedContext(arena));
            ContextRecipe.Maker scrambles = (address, inputs) -> {  // stores a function of two inputs
                MemorySegment link = MemorySegment.ofAddress(address).reinterpret(STRIDE);
                NativeBytes.view(link).putLong((int) Arch.UC_STACK_SIZE_OFFSET + 8, inputs[1] * 31 + inputs[2]);
            };
            assertTrue(ContextRecipe.learn(STRIDE, (int) ARCH.ucontextSize, STACK_TOP, prepare, scrambles).isEmpty());
            ContextRecipe.Maker random = (address, inputs) -> NativeBytes.view(MemorySegment.ofAddress(address).reinterpret(STRIDE))
                    .putLong(STACK_TOP + 8, new Random().nextLong());
            assertTrue(ContextRecipe.learn(STRIDE, (int) ARCH.ucontextSize, STACK_TOP, prepare, random).isEmpty(),
                    "a value no input explains: the third link's check fails");
        }
    }

    private static byte[] bytes(MemorySegment s, long offset, int length) {
        return s.asSlice(offset, length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }
}
