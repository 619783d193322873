package dev.jbox.linux.seccomp;

import dev.jbox.linux.Arch;

import java.util.List;

/**
 * A system call ABI a seccomp filter may see: the native one of each architecture, and the
 * compat ABIs an x86-64 kernel also accepts. x32 shares x86-64's {@code AUDIT_ARCH} value and is
 * told apart by bit 30 of the syscall number.
 */
public enum Abi {
    X86_64(Arch.X86_64, 0xC000003E, "SCMP_ARCH_X86_64", "x86_64"),
    X32(Arch.X86_64, 0xC000003E, "SCMP_ARCH_X32", "x32"),
    I386(Arch.X86_64, 0x40000003, "SCMP_ARCH_X86", "i386"),
    AARCH64(Arch.AARCH64, 0xC00000B7, "SCMP_ARCH_AARCH64", "aarch64");

    /** The architecture whose kernel runs this ABI. */
    public final Arch host;
    /** {@code AUDIT_ARCH_*} as seen in {@code seccomp_data.arch}. */
    public final int auditArch;
    /** libseccomp's and OCI's name. */
    public final String scmpName;
    private final String tableName;
    private volatile SyscallTable table;

    Abi(Arch host, int auditArch, String scmpName, String tableName) {
        this.host = host;
        this.auditArch = auditArch;
        this.scmpName = scmpName;
        this.tableName = tableName;
    }

    /** The native ABI of {@code arch}. */
    public static Abi nativeOf(Arch arch) {
        return arch == Arch.X86_64 ? X86_64 : AARCH64;
    }

    /** ABIs besides the native one that the kernel of {@code arch} runs (and a filter must handle). */
    public static List<Abi> compatOf(Arch arch) {
        return arch == Arch.X86_64 ? List.of(X32, I386) : List.of();
    }

    /** Syscall numbers of this ABI, loaded on first use from the generated tables. */
    public SyscallTable table() {
        SyscallTable t = table;
        if (t == null) table = t = SyscallTable.load(tableName);
        return t;
    }
}
