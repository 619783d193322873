package dev.jbox.linux.seccomp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Assembles classic BPF with symbolic labels. Conditional jumps carry 8-bit offsets; when a
 * target ends up more than 255 instructions ahead, the jump is relaxed into a conditional jump
 * to an unconditional {@code ja} (32-bit offset) placed right after it. Relaxation repeats until
 * every offset fits, since each inserted {@code ja} may push other targets out of reach.
 */
public final class BpfAssembler {
    /** A jump target. {@link #NEXT} means the instruction that follows. */
    public record Label(String name) {
        public static final Label NEXT = new Label("<next>");
    }

    private sealed interface Item {}
    private record Mark(Label label) implements Item {}
    private record Fixed(BpfInsn insn) implements Item {}
    private record Conditional(int code, int k, Label ifTrue, Label ifFalse) implements Item {}
    private record Goto(Label target) implements Item {}

    private final List<Item> items = new ArrayList<>();
    private int labels;

    /** A fresh label; the hint only makes error messages and disassembly readable. */
    public Label newLabel(String hint) {
        return new Label(hint + "#" + ++labels);
    }

    /** Places {@code label} at the next instruction. */
    public BpfAssembler mark(Label label) {
        items.add(new Mark(label));
        return this;
    }

    /** {@code A = *(u32 *)(data + offset)}. */
    public BpfAssembler load(int offset) {
        return add(new BpfInsn(BpfInsn.LD_W_ABS, 0, 0, offset));
    }

    /** {@code A &= mask}. */
    public BpfAssembler and(int mask) {
        return add(new BpfInsn(BpfInsn.ALU_AND_K, 0, 0, mask));
    }

    /** Jumps to {@code ifTrue} when {@code A == k} (unsigned), else to {@code ifFalse}. */
    public BpfAssembler jeq(int k, Label ifTrue, Label ifFalse) {
        return jump(BpfInsn.JMP_JEQ_K, k, ifTrue, ifFalse);
    }

    /** Jumps when {@code A > k}, unsigned 32-bit. */
    public BpfAssembler jgt(int k, Label ifTrue, Label ifFalse) {
        return jump(BpfInsn.JMP_JGT_K, k, ifTrue, ifFalse);
    }

    /** Jumps when {@code A >= k}, unsigned 32-bit. */
    public BpfAssembler jge(int k, Label ifTrue, Label ifFalse) {
        return jump(BpfInsn.JMP_JGE_K, k, ifTrue, ifFalse);
    }

    /** Jumps when {@code (A & k) != 0}. */
    public BpfAssembler jset(int k, Label ifTrue, Label ifFalse) {
        return jump(BpfInsn.JMP_JSET_K, k, ifTrue, ifFalse);
    }

    /** Unconditional jump ({@code ja}, 32-bit offset). */
    public BpfAssembler jump(Label target) {
        items.add(new Goto(target));
        return this;
    }

    /** Ends the program with {@code value} (a {@code SECCOMP_RET_*} for seccomp). */
    public BpfAssembler ret(int value) {
        return add(new BpfInsn(BpfInsn.RET_K, 0, 0, value));
    }

    private BpfAssembler add(BpfInsn insn) {
        items.add(new Fixed(insn));
        return this;
    }

    private BpfAssembler jump(int code, int k, Label ifTrue, Label ifFalse) {
        items.add(new Conditional(code, k, ifTrue, ifFalse));
        return this;
    }

    /**
     * Resolves labels into offsets. Throws {@link IllegalStateException} for a program the kernel
     * would refuse: undefined or duplicate labels, backward jumps, no final {@code ret}, too long.
     */
    public BpfProgram assemble() {
        if (!(lastInstruction() instanceof Fixed f && f.insn().code() == BpfInsn.RET_K)) {
            throw new IllegalStateException("a BPF program must end with ret");
        }
        // far[i][0|1]: item i's true/false target needs a ja trampoline.
        boolean[][] far = new boolean[items.size()][2];
        while (true) {
            Layout layout = layout(far);
            boolean grew = false;
            for (int i = 0; i < items.size(); i++) {
                if (!(items.get(i) instanceof Conditional c)) continue;
                int next = layout.address[i] + 1;
                if (!far[i][0] && layout.target(c.ifTrue(), i) - next > 255) far[i][0] = grew = true;
                if (!far[i][1] && layout.target(c.ifFalse(), i) - next > 255) far[i][1] = grew = true;
            }
            if (!grew) return emit(layout, far);
        }
    }

    private Item lastInstruction() {
        for (int i = items.size() - 1; i >= 0; i--) {
            if (!(items.get(i) instanceof Mark)) return items.get(i);
        }
        return null;
    }

    /** Addresses of items and labels for the current choice of trampolines. */
    private record Layout(int[] address, Map<Label, Integer> labels, int length) {
        /** Address of the instruction {@code label} names, as seen from item {@code from}. */
        int target(Label label, int from) {
            int next = address[from] + 1;
            if (label == Label.NEXT) return from + 1 < address.length ? address[from + 1] : length;
            Integer at = labels.get(label);
            if (at == null) throw new IllegalStateException("jump to undefined label " + label.name());
            if (at >= length) throw new IllegalStateException("label " + label.name() + " marks no instruction");
            if (at < next) throw new IllegalStateException("backward jump to label " + label.name() + " (BPF only jumps forward)");
            return at;
        }
    }

    private Layout layout(boolean[][] far) {
        int[] address = new int[items.size()];
        Map<Label, Integer> labelAt = new HashMap<>();
        int pc = 0;
        for (int i = 0; i < items.size(); i++) {
            address[i] = pc;
            switch (items.get(i)) {
                case Mark m -> {
                    if (m.label() == Label.NEXT || labelAt.putIfAbsent(m.label(), pc) != null) {
                        throw new IllegalStateException("label " + m.label().name() + " placed twice");
                    }
                }
                case Conditional c -> pc += 1 + (far[i][0] ? 1 : 0) + (far[i][1] ? 1 : 0);
                case Fixed f -> pc++;
                case Goto g -> pc++;
            }
        }
        if (pc > BpfProgram.MAX_INSTRUCTIONS) {
            throw new IllegalStateException("BPF program too long: " + pc + " instructions, the kernel accepts " + BpfProgram.MAX_INSTRUCTIONS);
        }
        return new Layout(address, labelAt, pc);
    }

    private BpfProgram emit(Layout layout, boolean[][] far) {
        List<BpfInsn> out = new ArrayList<>(layout.length());
        for (int i = 0; i < items.size(); i++) {
            int next = layout.address[i] + 1;
            switch (items.get(i)) {
                case Mark m -> { }
                case Fixed f -> out.add(f.insn());
                case Goto g -> out.add(ja(layout.target(g.target(), i) - next));
                case Conditional c -> {
                    int trueTarget = layout.target(c.ifTrue(), i);
                    int falseTarget = layout.target(c.ifFalse(), i);
                    int trampolines = (far[i][0] ? 1 : 0) + (far[i][1] ? 1 : 0);
                    // Layout: the jump, then the true trampoline, then the false one (each only if
                    // needed). Offsets count from the instruction after the jump.
                    int jt = far[i][0] ? 0 : trueTarget - next;
                    int jf = far[i][1] ? (far[i][0] ? 1 : 0) : falseTarget - next;
                    out.add(new BpfInsn(c.code(), jt, jf, c.k()));
                    if (far[i][0]) out.add(ja(trueTarget - (next + 1)));
                    if (far[i][1]) out.add(ja(falseTarget - (next + trampolines)));
                }
            }
        }
        return new BpfProgram(out);
    }

    private static BpfInsn ja(int offset) {
        return new BpfInsn(BpfInsn.JMP_JA, 0, 0, offset);
    }
}
