package dev.jbox.linux.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * An assembled classic BPF program: what {@code struct sock_fprog} points to. The launcher copies
 * {@link #toBytes()} into native memory and passes {@link #length()} as {@code sock_fprog.len}.
 */
public record BpfProgram(List<BpfInsn> instructions) {
    /** {@code BPF_MAXINSNS}: the kernel refuses longer programs. */
    public static final int MAX_INSTRUCTIONS = 4096;

    public BpfProgram {
        instructions = List.copyOf(instructions);
        if (instructions.isEmpty() || instructions.size() > MAX_INSTRUCTIONS) {
            throw new IllegalArgumentException("a BPF program has 1.." + MAX_INSTRUCTIONS + " instructions, not " + instructions.size());
        }
    }

    /** Number of instructions ({@code sock_fprog.len}). */
    public int length() {
        return instructions.size();
    }

    /** The {@code struct sock_filter[]} in native (little-endian: x86-64, aarch64) byte order. */
    public byte[] toBytes() {
        ByteBuffer buf = ByteBuffer.allocate(instructions.size() * BpfInsn.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (BpfInsn insn : instructions) {
            buf.putShort((short) insn.code()).put((byte) insn.jt()).put((byte) insn.jf()).putInt(insn.k());
        }
        return buf.array();
    }

    /** The program of these {@link BpfInsn#word}s. */
    static BpfProgram fromWords(long[] words) {
        List<BpfInsn> insns = new ArrayList<>(words.length);
        for (long word : words) insns.add(BpfInsn.fromWord(word));
        return new BpfProgram(insns);
    }

    /** One numbered line per instruction, for {@code --dry-run} and test failures. */
    public String disassemble() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < instructions.size(); i++) {
            sb.append(String.format("%4d: %s%n", i, instructions.get(i)));
        }
        return sb.toString();
    }
}
