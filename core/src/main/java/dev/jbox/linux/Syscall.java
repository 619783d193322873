package dev.jbox.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The one door to the kernel: glibc's variadic {@code long syscall(long number, ...)}, linked once,
 * with errno captured. Linking few downcall handles keeps a cold JVM fast (DESIGN §5).
 */
public final class Syscall {
    private Syscall() {}

    private static final class Handle {
        static final Linker LINKER = Linker.nativeLinker();
        static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
        static final VarHandle ERRNO = CAPTURE.varHandle(StructLayout.PathElement.groupElement("errno"));
        // long syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6);
        static final MethodHandle SYSCALL = LINKER.downcallHandle(
                LINKER.defaultLookup().find("syscall").orElseThrow(),
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
                Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));
        static final ThreadLocal<MemorySegment> STATE = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE));
    }

    private static final Arch ARCH = Arch.current();

    /** Calls {@code sys}; returns its result, or {@code -errno} on failure. Never throws for errno. */
    public static long callOrErrno(Sys sys, long... args) {
        long[] a = new long[6];
        System.arraycopy(args, 0, a, 0, args.length);
        MemorySegment state = Handle.STATE.get();
        long result;
        try {
            result = (long) Handle.SYSCALL.invokeExact(state, sys.number(ARCH), a[0], a[1], a[2], a[3], a[4], a[5]);
        } catch (Throwable t) {
            throw new IllegalStateException("calling " + sys.callName(), t);
        }
        return result == -1 ? -(int) Handle.ERRNO.get(state, 0L) : result;
    }

    /** Calls {@code sys}; throws {@link SyscallException} naming {@code target} on failure. */
    public static long call(Sys sys, String target, long... args) {
        long r = callOrErrno(sys, args);
        if (r < 0) throw new SyscallException(sys.callName(), target, (int) -r);
        return r;
    }

    /** Address of a libc symbol, for the launch chain's links. */
    public static MemorySegment libcSymbol(String name) {
        return Handle.LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsupportedOperationException("libc has no " + name + " (jbox needs glibc)"));
    }

}
