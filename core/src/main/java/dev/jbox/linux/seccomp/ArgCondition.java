package dev.jbox.linux.seccomp;

/**
 * A comparison of one 64-bit system call argument, as in OCI's {@code args} entries. All
 * comparisons are unsigned. For {@link Op#MASKED_EQ}, {@code value} is the mask and
 * {@code valueTwo} the expected result: {@code (arg & value) == valueTwo}.
 */
public record ArgCondition(int index, Op op, long value, long valueTwo) {
    /** {@code seccomp_data.args} has six entries. */
    public static final int MAX_ARGS = 6;

    public enum Op {
        NE("SCMP_CMP_NE"), LT("SCMP_CMP_LT"), LE("SCMP_CMP_LE"), EQ("SCMP_CMP_EQ"),
        GE("SCMP_CMP_GE"), GT("SCMP_CMP_GT"), MASKED_EQ("SCMP_CMP_MASKED_EQ");

        /** The name used in OCI and Docker profiles. */
        public final String ociName;

        Op(String ociName) {
            this.ociName = ociName;
        }
    }

    public ArgCondition {
        if (index < 0 || index >= MAX_ARGS) throw new IllegalArgumentException("argument index must be 0..5, not " + index);
    }

    public static ArgCondition of(int index, Op op, long value) {
        return new ArgCondition(index, op, value, 0);
    }

    /** {@code (args[index] & mask) == expected}. */
    public static ArgCondition masked(int index, long mask, long expected) {
        return new ArgCondition(index, Op.MASKED_EQ, mask, expected);
    }

    /** The reference semantics the compiled BPF must reproduce. */
    public boolean test(long[] args) {
        long arg = args[index];
        int cmp = Long.compareUnsigned(arg, value);
        return switch (op) {
            case NE -> cmp != 0;
            case LT -> cmp < 0;
            case LE -> cmp <= 0;
            case EQ -> cmp == 0;
            case GE -> cmp >= 0;
            case GT -> cmp > 0;
            case MASKED_EQ -> (arg & value) == valueTwo;
        };
    }

    @Override
    public String toString() {
        return op == Op.MASKED_EQ
                ? String.format("(arg%d & 0x%x) == 0x%x", index, value, valueTwo)
                : String.format("arg%d %s 0x%x", index, op, value);
    }
}
