package dev.jbox.linux;

/**
 * A failed system call: what was called, on what, and the errno by name.
 * The message reads {@code openat /proc/42/uid_map: EACCES (Permission denied)}.
 */
public final class SyscallException extends RuntimeException {
    private final String syscall;
    private final String target;
    private final int errno;

    public SyscallException(String syscall, String target, int errno) {
        super(syscall + (target == null || target.isEmpty() ? "" : " " + target) + ": "
                + Errno.nameOf(errno) + describe(errno));
        this.syscall = syscall;
        this.target = target;
        this.errno = errno;
    }

    private static String describe(int errno) {
        Errno e = Errno.of(errno);
        return e == null ? "" : " (" + e.message + ")";
    }

    public String syscall() { return syscall; }
    public String target() { return target; }
    public int errno() { return errno; }
    public Errno errnoValue() { return Errno.of(errno); }
}
