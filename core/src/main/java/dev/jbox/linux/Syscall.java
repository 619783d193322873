package dev.jbox.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The one door to the kernel and libc: glibc's variadic {@code long syscall(long number, ...)},
 * and the few libc functions the launcher calls (getcontext, makecontext, __errno_location, clone),
 * all through one downcall shape, linked once, with errno captured. Linking few downcall shapes
 * keeps a cold JVM fast (DESIGN §5): each distinct shape cost ~5-8 ms; jbox used five.
 */
public final class Syscall {
    private Syscall() {}

    private static final class Handle {
        static final Linker LINKER = Linker.nativeLinker();
        static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
        static final long ERRNO = CAPTURE.byteOffset(StructLayout.PathElement.groupElement("errno"));
        /**
         * {@code long fn(long a0, ...)} with nine arguments, errno captured; the target is the first
         * parameter. One shape fits every function jbox calls, on x86-64 (System V) and on aarch64
         * (AAPCS64 as Linux uses it, where variadic arguments are passed like named ones):
         * integer and pointer arguments take the same registers, then stack slots, declared
         * variadic or not, so a function reads exactly its own parameters and ignores the extra
         * ones (the caller removes them); a variadic call only adds %al = 0 on x86-64, the count of
         * vector registers used, which a non-variadic function ignores; an int comes back in the
         * low half of the result register (callers truncate it), and a void function's is unused.
         */
        static final MethodHandle CALL = LINKER.downcallHandle(
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
                Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));
        static final MemorySegment SYSCALL = libcSymbol("syscall");
        static final ThreadLocal<MemorySegment> STATE = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE));

        static {
            linked = true;
        }
    }

    /** Set once the downcall is linked (Handle's initialization): a cold JVM pays ~30 ms for that. */
    private static volatile boolean linked;

    /** Whether a call through this class costs no linking any more. */
    public static boolean linked() {
        return linked;
    }

    private static final Arch ARCH = Arch.current();
    /** Arguments one call passes: {@code makecontext(ucp, func, 6, a0..a5)} needs all nine. */
    private static final int MAX_ARGS = 9;

    /** Calls {@code sys}; returns its result, or {@code -errno} on failure. Never throws for errno. */
    public static long callOrErrno(Sys sys, long... args) {
        long[] a = new long[MAX_ARGS];
        a[0] = sys.number(ARCH);
        System.arraycopy(args, 0, a, 1, args.length);
        long result = invoke(Handle.SYSCALL, a);
        return result == -1 ? -errno() : result;
    }

    /** Calls {@code sys}; throws {@link SyscallException} naming {@code target} on failure. */
    public static long call(Sys sys, String target, long... args) {
        long r = callOrErrno(sys, args);
        if (r < 0) throw new SyscallException(sys.callName(), target, (int) -r);
        return r;
    }

    /**
     * Calls the libc function at {@code function} ({@link #libcSymbol}) with up to nine integer or
     * pointer arguments; returns the result register: truncate it for an {@code int} function.
     */
    public static long callFunction(MemorySegment function, long... args) {
        if (args.length > MAX_ARGS) throw new IllegalArgumentException("at most " + MAX_ARGS + " arguments, not " + args.length);
        long[] a = new long[MAX_ARGS];
        System.arraycopy(args, 0, a, 0, args.length);
        return invoke(function, a);
    }

    /** As {@link #callFunction} for a function returning {@code int} and -1 with errno on failure: its result, or {@code -errno}. */
    public static int callIntOrErrno(MemorySegment function, long... args) {
        int result = (int) callFunction(function, args);
        return result == -1 ? -errno() : result;
    }

    private static long invoke(MemorySegment function, long[] a) {
        try {
            return (long) Handle.CALL.invokeExact(function, Handle.STATE.get(), a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]);
        } catch (Throwable t) {
            throw new IllegalStateException("calling libc at 0x" + Long.toHexString(function.address()), t);
        }
    }

    /** errno as the last call on this thread left it. */
    private static int errno() {
        return NativeBytes.getInt(Handle.STATE.get(), Handle.ERRNO);
    }

    /** Address of a libc symbol, for the launch chain's links and {@link #callFunction}. */
    public static MemorySegment libcSymbol(String name) {
        return Linker.nativeLinker().defaultLookup().find(name)
                .orElseThrow(() -> new UnsupportedOperationException("libc has no " + name + " (jbox needs glibc)"));
    }
}
