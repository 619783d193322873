package dev.jbox.linux;

/**
 * The architectures jbox runs on, with the ABI facts the launcher and the seccomp filter need.
 * {@code ucontext_t} offsets were read from glibc's headers (offsetof) on each architecture.
 */
public enum Arch {
    X86_64(0xC000003EL, 296, 2048, 968, 224, 424),
    AARCH64(0xC00000B7L, 40, 8192, 4560, -1, -1);

    /** AUDIT_ARCH_* value seen by seccomp in {@code seccomp_data.arch}. */
    public final long auditArch;
    /** Offset of {@code uc_sigmask} in glibc's {@code ucontext_t}. */
    public final long ucSigmaskOffset;
    /** Bytes reserved per ucontext: glibc's is 968 bytes on x86-64 and 4560 on aarch64. */
    public final long ucontextBytes;
    /** {@code sizeof(ucontext_t)} in glibc. */
    public final long ucontextSize;
    /**
     * x86-64's getcontext points {@code uc_mcontext.fpregs} (at this offset) at the context's own
     * {@code __fpregs_mem} (at {@link #ucFpregsMemOffset}), so a copied context must be re-pointed
     * at its own; -1 where the FP state is kept inline (aarch64).
     */
    public final long ucFpregsPointerOffset, ucFpregsMemOffset;

    /** Offsets shared by both architectures (DESIGN §2). */
    public static final long UC_LINK_OFFSET = 8, UC_STACK_SP_OFFSET = 16, UC_STACK_SIZE_OFFSET = 32;

    Arch(long auditArch, long ucSigmaskOffset, long ucontextBytes, long ucontextSize, long ucFpregsPointerOffset, long ucFpregsMemOffset) {
        this.auditArch = auditArch;
        this.ucSigmaskOffset = ucSigmaskOffset;
        this.ucontextBytes = ucontextBytes;
        this.ucontextSize = ucontextSize;
        this.ucFpregsPointerOffset = ucFpregsPointerOffset;
        this.ucFpregsMemOffset = ucFpregsMemOffset;
    }

    private static final Arch CURRENT = detect(System.getProperty("os.arch"));

    public static Arch current() {
        if (CURRENT == null) {
            throw new UnsupportedOperationException("jbox supports x86-64 and aarch64 only, not " + System.getProperty("os.arch"));
        }
        return CURRENT;
    }

    static Arch detect(String osArch) {
        return switch (osArch) {
            case "amd64", "x86_64" -> X86_64;
            case "aarch64", "arm64" -> AARCH64;
            default -> null;
        };
    }
}
