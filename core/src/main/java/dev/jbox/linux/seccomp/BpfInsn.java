package dev.jbox.linux.seccomp;

/**
 * One assembled classic BPF instruction, laid out as the kernel's {@code struct sock_filter}:
 * {@code { __u16 code; __u8 jt; __u8 jf; __u32 k; }}. Jump offsets count instructions after the
 * next one, so they only go forward.
 */
public record BpfInsn(int code, int jt, int jf, int k) {
    /** {@code sizeof(struct sock_filter)}. */
    public static final int BYTES = 8;

    public BpfInsn {
        if (code < 0 || code > 0xFFFF) throw new IllegalArgumentException("BPF opcode out of range: " + code);
        if (jt < 0 || jt > 0xFF || jf < 0 || jf > 0xFF) {
            throw new IllegalArgumentException("BPF jump offset out of range: jt=" + jt + " jf=" + jf);
        }
    }

    // Opcodes jbox uses (linux/bpf_common.h): class | size/op | source.
    static final int LD_W_ABS = 0x00 | 0x00 | 0x20;
    static final int ALU_AND_K = 0x04 | 0x50 | 0x00;
    static final int JMP_JA = 0x05 | 0x00;
    static final int JMP_JEQ_K = 0x05 | 0x10 | 0x00;
    static final int JMP_JGT_K = 0x05 | 0x20 | 0x00;
    static final int JMP_JGE_K = 0x05 | 0x30 | 0x00;
    static final int JMP_JSET_K = 0x05 | 0x40 | 0x00;
    static final int RET_K = 0x06 | 0x00;

    /**
     * The instruction as one 64-bit word, {@code k_jf_jt_code} from the high bits down: the
     * {@code struct sock_filter} read as a little-endian long, as {@link DefaultFilterCode} spells it.
     */
    long word() {
        return (long) k << 32 | (long) jf << 24 | (long) jt << 16 | code;
    }

    static BpfInsn fromWord(long word) {
        return new BpfInsn((int) word & 0xFFFF, (int) (word >>> 16) & 0xFF, (int) (word >>> 24) & 0xFF, (int) (word >>> 32));
    }

    boolean isConditionalJump() {
        return (code & 0x07) == 0x05 && code != JMP_JA;
    }

    /** A readable line, e.g. {@code jeq #0xc000003e jt 0 jf 3}. */
    @Override
    public String toString() {
        return switch (code) {
            case LD_W_ABS -> "ld [" + k + "]";
            case ALU_AND_K -> "and #0x" + Integer.toHexString(k);
            case JMP_JA -> "ja +" + Integer.toUnsignedString(k);
            case JMP_JEQ_K -> jump("jeq");
            case JMP_JGT_K -> jump("jgt");
            case JMP_JGE_K -> jump("jge");
            case JMP_JSET_K -> jump("jset");
            case RET_K -> "ret #0x" + Integer.toHexString(k);
            default -> String.format("code 0x%04x jt %d jf %d k 0x%x", code, jt, jf, k);
        };
    }

    private String jump(String op) {
        return op + " #0x" + Integer.toHexString(k) + " jt " + jt + " jf " + jf;
    }
}
