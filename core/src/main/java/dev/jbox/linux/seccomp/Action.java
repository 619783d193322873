package dev.jbox.linux.seccomp;

/** What a seccomp filter answers for a system call: the {@code SECCOMP_RET_*} values. */
public sealed interface Action {
    /** The filter's 32-bit return value. */
    int ret();

    /** The kernel runs the call. */
    record Allow() implements Action {
        public int ret() { return 0x7fff0000; }
        @Override public String toString() { return "allow"; }
    }

    /** The call fails with {@code -errno} without running (0..4095; the kernel caps at 4095). */
    record Errno(int errno) implements Action {
        public static final int MAX = 4095;

        public Errno {
            if (errno < 0 || errno > MAX) throw new IllegalArgumentException("errno must be 0.." + MAX + ", not " + errno);
        }

        public int ret() { return 0x00050000 | errno; }
        @Override public String toString() { return "errno " + dev.jbox.linux.Errno.nameOf(errno); }
    }

    /** The whole process dies with SIGSYS. */
    record KillProcess() implements Action {
        public int ret() { return 0x80000000; }
        @Override public String toString() { return "kill-process"; }
    }

    /** The calling thread dies (libseccomp's and Docker's {@code SCMP_ACT_KILL}). */
    record KillThread() implements Action {
        public int ret() { return 0; }
        @Override public String toString() { return "kill-thread"; }
    }

    /** A SIGSYS is delivered to the caller. */
    record Trap() implements Action {
        public int ret() { return 0x00030000; }
        @Override public String toString() { return "trap"; }
    }

    /** A ptrace tracer is notified with {@code data}; without one the call fails with ENOSYS. */
    record Trace(int data) implements Action {
        public Trace {
            if (data < 0 || data > 0xFFFF) throw new IllegalArgumentException("trace data must be 0..65535, not " + data);
        }

        public int ret() { return 0x7ff00000 | data; }
        @Override public String toString() { return "trace " + data; }
    }

    /** The call runs and is logged by the audit subsystem. */
    record Log() implements Action {
        public int ret() { return 0x7ffc0000; }
        @Override public String toString() { return "log"; }
    }

    Action ALLOW = new Allow();
    Action EPERM = new Errno(dev.jbox.linux.Errno.EPERM.number);
    Action ENOSYS = new Errno(dev.jbox.linux.Errno.ENOSYS.number);
    Action KILL_PROCESS = new KillProcess();

    /** Whether the call goes ahead (so a filter with this default lists what it forbids). */
    default boolean runsTheCall() {
        return this instanceof Allow || this instanceof Log;
    }
}
