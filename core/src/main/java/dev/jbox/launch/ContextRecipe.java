package dev.jbox.launch;

import dev.jbox.linux.NativeBytes;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What glibc's {@code makecontext(ucp, func, 6, a0..a5)} writes into a prepared chain link, learned
 * from real calls once per JVM and replayed in Java: a downcall per link (~230 per chain) was ~4 ms
 * of a cold {@code jbox run} (docs/bench.md). makecontext stores its inputs (the function, the six
 * arguments, the successor) and addresses within the link into registers of the context and, on
 * x86-64, into the top words of the link's stack; which words is glibc's business, so it is found,
 * not written down: two links made with different inputs differ exactly in those words, and each
 * must equal one input (or the link's address) plus the same offset in both; a word makecontext
 * changed but that is the same in both (x86-64's return to {@code __start_context}) is a constant.
 * A third link checks the recipe byte for byte; if anything does not fit (a shadow stack, an
 * argument transformed), {@link #learn} finds nothing and the chain keeps calling makecontext.
 */
final class ContextRecipe {
    /** Bytes at the top of a link's stack that makecontext may write (x86-64 writes two words). */
    static final int STACK_TOP = 64;
    private static final int INPUTS = 8;  // the function, six arguments, the successor
    static final int SUCCESSOR = 7;
    private static final int LINK = -1, CONSTANT = -2;

    /** The word at {@code offset} in a link: {@code value}, or input {@code input} (or the link's address) + {@code value}. */
    private record Patch(int offset, int input, long value) {}

    /** Prepares the link at {@code at}, as {@link NativeChain} does before makecontext. */
    interface Preparer {
        void prepare(ByteBuffer words, long linkAddress, int at, long successor);
    }

    private final List<Patch> patches;

    private ContextRecipe(List<Patch> patches) {
        this.patches = patches;
    }

    /** The inputs of one link, in makecontext's order, the successor last. */
    static long[] inputs(long function, long[] args, long successor) {
        long[] in = new long[INPUTS];
        in[0] = function;
        System.arraycopy(args, 0, in, 1, 6);
        in[SUCCESSOR] = successor;
        return in;
    }

    /** Does to the prepared link at {@code at} (address {@code linkAddress}) what makecontext would. */
    void apply(ByteBuffer words, long linkAddress, int at, long[] inputs) {
        for (Patch p : patches) {
            long base = switch (p.input) {
                case CONSTANT -> 0;
                case LINK -> linkAddress;
                default -> inputs[p.input];
            };
            words.putLong(at + p.offset, base + p.value);
        }
    }

    /**
     * Learns the recipe for links of {@code stride} bytes (the context's {@code contextSize} bytes
     * first, the stack's top {@link #STACK_TOP} bytes at {@code stackTop}), prepared by {@code prepare}
     * and made by {@code makecontext}; empty if makecontext's effect cannot be replayed.
     */
    static Optional<ContextRecipe> learn(int stride, int contextSize, int stackTop, Preparer prepare, Maker makecontext) {
        int[] offsets = wordOffsets(contextSize, stackTop);
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment links = scratch.allocate(3L * stride, 16);
            ByteBuffer words = NativeBytes.view(links);
            long[][] inputs = {sentinels(1), sentinels(2), sentinels(3)};
            long[][] before = new long[3][], after = new long[3][];
            for (int k = 0; k < 3; k++) {
                prepare.prepare(words, links.address() + (long) k * stride, k * stride, inputs[k][SUCCESSOR]);
                before[k] = read(words, k * stride, offsets);
                makecontext.make(links.address() + (long) k * stride, inputs[k]);
                after[k] = read(words, k * stride, offsets);
            }
            List<Patch> patches = new ArrayList<>();
            for (int w = 0; w < offsets.length; w++) {
                if (after[0][w] == before[0][w] && after[1][w] == before[1][w]) continue;  // untouched
                Patch patch = after[0][w] == after[1][w] ? new Patch(offsets[w], CONSTANT, after[0][w])
                        : explain(offsets[w], after[0][w], after[1][w], inputs[0], inputs[1], links.address(), links.address() + stride);
                if (patch == null) return Optional.empty();
                patches.add(patch);
            }
            ContextRecipe recipe = new ContextRecipe(List.copyOf(patches));
            // The check: the third link, put back as it was before makecontext and replayed, must read as makecontext made it.
            write(words, 2 * stride, offsets, before[2]);
            recipe.apply(words, links.address() + 2L * stride, 2 * stride, inputs[2]);
            return java.util.Arrays.equals(read(words, 2 * stride, offsets), after[2]) ? Optional.of(recipe) : Optional.empty();
        }
    }

    /** Calls makecontext for the prepared link at {@code address}. */
    interface Maker {
        void make(long address, long[] inputs);
    }

    /** The 8-byte words makecontext may write: the context's, then the top of the stack's. */
    private static int[] wordOffsets(int contextSize, int stackTop) {
        int[] offsets = new int[contextSize / 8 + STACK_TOP / 8];
        int n = 0;
        for (int o = 0; o + 8 <= contextSize; o += 8) offsets[n++] = o;
        for (int o = 0; o < STACK_TOP; o += 8) offsets[n++] = stackTop + o;
        return offsets;
    }

    private static long[] read(ByteBuffer words, int at, int[] offsets) {
        long[] values = new long[offsets.length];
        for (int w = 0; w < offsets.length; w++) values[w] = words.getLong(at + offsets[w]);
        return values;
    }

    private static void write(ByteBuffer words, int at, int[] offsets, long[] values) {
        for (int w = 0; w < offsets.length; w++) words.putLong(at + offsets[w], values[w]);
    }

    /** The one input (or the link's address) this word follows in both links, or null. */
    private static Patch explain(int offset, long a, long b, long[] inA, long[] inB, long linkA, long linkB) {
        Patch found = null;
        for (int input = LINK; input < INPUTS; input++) {
            long fromA = input == LINK ? linkA : inA[input], fromB = input == LINK ? linkB : inB[input];
            if (a - fromA != b - fromB) continue;
            if (found != null) return null;  // ambiguous; the sentinels are chosen so this cannot happen
            found = new Patch(offset, input, a - fromA);
        }
        return found;
    }

    /**
     * Inputs of learning link {@code k}: between two links, every input moves by a different amount,
     * none of them the links' distance, so a word is attributed to one input only.
     */
    private static long[] sentinels(int k) {
        long[] in = new long[INPUTS];
        for (int i = 0; i < INPUTS; i++) in[i] = 0x5a00_0000_0000_0000L | ((long) (i + 1) << 40) | (k * (i + 3) * 0x1_0001_0001L);
        return in;
    }
}
