package dev.jbox.linux.seccomp;

import dev.jbox.linux.seccomp.BpfAssembler.Label;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compiles a {@link SeccompPolicy} into a seccomp BPF program:
 * <pre>
 *   ld arch; jeq each handled AUDIT_ARCH → its section; ret KILL_PROCESS
 *   section: ld nr; binary search over number ranges with one answer each → ret, or
 *            a block that tests the arguments of one call
 * </pre>
 * The binary search keeps every call at about log2(ranges) comparisons (8 or so for Docker's
 * default profile) instead of a linear scan through hundreds of numbers.
 *
 * <p>The program is loaded by every sandbox, and the kernel's check, translation and JIT cost
 * grows with its length (~0.2 ms for 800 instructions). So a range with a fixed answer gets no
 * {@code ret} of its own: the comparison deciding it jumps to one shared {@code ret} per answer,
 * placed after each subtree of at most {@value #POOLED_SUBTREE} instructions (conditional jumps
 * reach 255 ahead). That halves Docker's default profile.
 */
public final class SeccompCompiler {
    // struct seccomp_data { int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6]; }
    static final int NR_OFFSET = 0, ARCH_OFFSET = 4, ARGS_OFFSET = 16;
    private static final long NUMBER_SPACE = 1L << 32;
    /** Largest subtree whose shared returns follow it; leaves room below the 255-instruction jump reach. */
    static final int POOLED_SUBTREE = 200;

    private final BpfAssembler asm = new BpfAssembler();
    private final SeccompPolicy policy;
    private final Map<String, Decision> decisions;

    private SeccompCompiler(SeccompPolicy policy) {
        this.policy = policy;
        this.decisions = policy.decisions();
    }

    public static BpfProgram compile(SeccompPolicy policy) {
        return new SeccompCompiler(policy).program();
    }

    /** Calls with the same answer over a run of numbers, starting at {@code first}. */
    record Range(long first, Decision decision) {}

    private BpfProgram program() {
        // x32 shares x86-64's AUDIT_ARCH, so both live in one section, split by number.
        Map<Integer, List<Abi>> sections = new TreeMap<>();
        List<Abi> all = new ArrayList<>(List.of(Abi.nativeOf(policy.arch())));
        all.addAll(Abi.compatOf(policy.arch()));
        for (Abi abi : all) {
            boolean sectionHandled = policy.abis().contains(abi) || abi.auditArch == Abi.nativeOf(policy.arch()).auditArch;
            if (sectionHandled) sections.computeIfAbsent(abi.auditArch, a -> new ArrayList<>()).add(abi);
        }
        asm.load(ARCH_OFFSET);
        Map<Integer, Label> labels = new TreeMap<>();
        for (int auditArch : sections.keySet()) {
            Label section = asm.newLabel("arch-" + Integer.toHexString(auditArch));
            labels.put(auditArch, section);
            asm.jeq(auditArch, section, Label.NEXT);
        }
        asm.ret(Action.KILL_PROCESS.ret());
        sections.forEach((auditArch, abis) -> {
            asm.mark(labels.get(auditArch)).load(NR_OFFSET);
            List<Range> ranges = ranges(abis);
            search(ranges, 0, ranges.size() - 1);
        });
        return asm.assemble();
    }

    /** Number ranges covering 0..2^32-1 for the ABIs sharing one AUDIT_ARCH value. */
    List<Range> ranges(List<Abi> abis) {
        TreeMap<Long, Decision> known = new TreeMap<>();
        for (Abi abi : abis) {
            boolean handled = policy.abis().contains(abi);
            abi.table().byNumber().forEach((nr, name) -> known.put(nr, handled
                    ? decisions.getOrDefault(name, new Decision.Fixed(policy.defaultAction()))
                    : new Decision.Fixed(Action.KILL_PROCESS)));
        }
        Decision unknown = new Decision.Fixed(policy.unknownAction());
        List<Range> ranges = new ArrayList<>();
        long expected = 0;
        for (var e : known.entrySet()) {
            if (e.getKey() != expected) append(ranges, new Range(expected, unknown));
            append(ranges, new Range(e.getKey(), e.getValue()));
            expected = e.getKey() + 1;
        }
        if (expected < NUMBER_SPACE) append(ranges, new Range(expected, unknown));
        return ranges;
    }

    private static void append(List<Range> ranges, Range next) {
        boolean mergeable = next.decision() instanceof Decision.Fixed
                && !ranges.isEmpty() && ranges.getLast().decision().equals(next.decision());
        if (!mergeable) ranges.add(next);
    }

    /** A = nr here. Emits a search over ranges[lo..hi], all of which start at or after A's lower bound. */
    private void search(List<Range> ranges, int lo, int hi) {
        if (lo == hi) {
            emit(ranges.get(lo).decision());
            return;
        }
        if (estimatedSize(ranges, lo, hi) <= POOLED_SUBTREE) {
            Map<Action, Label> returns = new LinkedHashMap<>();
            pooledSearch(ranges, lo, hi, returns);
            returns.forEach((action, label) -> asm.mark(label).ret(action.ret()));
            return;
        }
        int mid = (lo + hi + 1) >>> 1;
        Label upper = asm.newLabel("nr>=" + ranges.get(mid).first());
        asm.jge((int) ranges.get(mid).first(), upper, Label.NEXT);
        search(ranges, lo, mid - 1);
        asm.mark(upper);
        search(ranges, mid, hi);
    }

    /**
     * As {@link #search}, but a side that is one range with a fixed answer is a jump to that
     * answer's shared {@code ret} in {@code returns}, which the caller places after the subtree.
     * Nothing falls through into those: every path ends in a {@code ret} or in a jump whose two
     * targets are labels.
     */
    private void pooledSearch(List<Range> ranges, int lo, int hi, Map<Action, Label> returns) {
        if (lo == hi) {
            emit(ranges.get(lo).decision());
            return;
        }
        int mid = (lo + hi + 1) >>> 1;
        Label lower = mid - 1 == lo ? sharedReturn(ranges.get(lo), returns) : null;
        Label upper = mid == hi ? sharedReturn(ranges.get(hi), returns) : null;
        Label upperSubtree = upper != null ? upper : asm.newLabel("nr>=" + ranges.get(mid).first());
        asm.jge((int) ranges.get(mid).first(), upperSubtree, lower != null ? lower : Label.NEXT);
        if (lower == null) pooledSearch(ranges, lo, mid - 1, returns);
        if (upper == null) {
            asm.mark(upperSubtree);
            pooledSearch(ranges, mid, hi, returns);
        }
    }

    /** The shared {@code ret} label for a range with a fixed answer, else null. */
    private Label sharedReturn(Range range, Map<Action, Label> returns) {
        if (!(range.decision() instanceof Decision.Fixed f)) return null;
        return returns.computeIfAbsent(f.action(), a -> asm.newLabel("ret-" + a));
    }

    /**
     * Instructions a pooled search over ranges[lo..hi] takes, roughly: one comparison per range
     * boundary, the argument blocks, the shared returns. An underestimate costs nothing but a
     * trampoline: the assembler relaxes any jump that ends up out of reach.
     */
    private static int estimatedSize(List<Range> ranges, int lo, int hi) {
        int size = hi - lo + 4;
        for (int i = lo; i <= hi; i++) {
            if (!(ranges.get(i).decision() instanceof Decision.ByArguments b)) continue;
            size += 1;
            for (SyscallRule rule : b.rules()) size += 1 + 6 * rule.conditions().size();
        }
        return size;
    }

    private void emit(Decision decision) {
        switch (decision) {
            case Decision.Fixed f -> asm.ret(f.action().ret());
            case Decision.ByArguments b -> {
                for (SyscallRule rule : b.rules()) {
                    Label nextRule = asm.newLabel("next-rule");
                    for (ArgCondition c : rule.conditions()) condition(c, nextRule);
                    asm.ret(rule.action().ret()).mark(nextRule);
                }
                asm.ret(b.otherwise().ret());
            }
        }
    }

    /**
     * Falls through when {@code c} holds and jumps to {@code failed} otherwise. BPF compares 32-bit
     * words, so a 64-bit comparison decides on the high words and, if they are equal, on the low
     * words (little-endian: the low word comes first).
     */
    private void condition(ArgCondition c, Label failed) {
        int low = ARGS_OFFSET + 8 * c.index(), high = low + 4;
        int vHigh = (int) (c.value() >>> 32), vLow = (int) c.value();
        Label holds = asm.newLabel("holds");
        switch (c.op()) {
            case EQ -> asm.load(high).jeq(vHigh, Label.NEXT, failed).load(low).jeq(vLow, holds, failed);
            case NE -> asm.load(high).jeq(vHigh, Label.NEXT, holds).load(low).jeq(vLow, failed, holds);
            case MASKED_EQ -> asm
                    .load(high).and(vHigh).jeq((int) (c.valueTwo() >>> 32), Label.NEXT, failed)
                    .load(low).and(vLow).jeq((int) c.valueTwo(), holds, failed);
            case GT -> greater(high, vHigh, failed, holds).load(low).jgt(vLow, holds, failed);
            case GE -> greater(high, vHigh, failed, holds).load(low).jge(vLow, holds, failed);
            case LT -> greater(high, vHigh, holds, failed).load(low).jge(vLow, failed, holds);
            case LE -> greater(high, vHigh, holds, failed).load(low).jgt(vLow, failed, holds);
        }
        asm.mark(holds);
    }

    /** High words: greater → {@code ifGreater}, less → {@code ifLess}, equal → fall through. */
    private BpfAssembler greater(int high, int vHigh, Label ifLess, Label ifGreater) {
        return asm.load(high).jgt(vHigh, ifGreater, Label.NEXT).jeq(vHigh, Label.NEXT, ifLess);
    }
}
