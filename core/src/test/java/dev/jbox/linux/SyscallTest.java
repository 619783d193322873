package dev.jbox.linux;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.*;

/** The one downcall shape, calling libc functions of other shapes (see Syscall.Handle.CALL). */
class SyscallTest {
    @Test
    void aVariadicFunctionGetsAllNineArgumentsInRegistersAndOnTheStack() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(128);
            // int snprintf(char *str, size_t size, const char *format, ...);
            long n = Syscall.callFunction(Syscall.libcSymbol("snprintf"), buf.address(), 128,
                    arena.allocateFrom("%ld %ld %ld %ld %ld %ld").address(), 1, -2, 3, 1L << 40, 5, 6);
            assertEquals("1 -2 3 1099511627776 5 6", buf.getString(0));
            assertEquals(buf.getString(0).length(), (int) n);
        }
    }

    @Test
    void intResultsAreTruncatedAndFailuresGiveErrno() {
        // int abs(int j): the argument's and the result's upper halves are not the function's.
        assertEquals(5, (int) Syscall.callFunction(Syscall.libcSymbol("abs"), 0xFFFF_FFFF_FFFF_FFFBL));
        // int close(int fd) fails with EBADF.
        assertEquals(-Errno.EBADF.number, Syscall.callIntOrErrno(Syscall.libcSymbol("close"), -1));
        assertEquals(-Errno.EBADF.number, Syscall.callOrErrno(Sys.CLOSE, -1));
    }

    @Test
    void aPointerResultFromAFunctionWithoutParameters() throws Exception {
        // int *__errno_location(void): this thread's errno, a thread-local address.
        long here = Syscall.callFunction(Syscall.libcSymbol("__errno_location"));
        assertNotEquals(0, here);
        assertEquals(here, Syscall.callFunction(Syscall.libcSymbol("__errno_location")));
        long[] there = new long[1];
        Thread other = Thread.ofPlatform().start(() -> there[0] = Syscall.callFunction(Syscall.libcSymbol("__errno_location")));
        other.join();
        assertNotEquals(0, there[0]);
        assertNotEquals(here, there[0]);
        assertEquals(ProcessHandle.current().pid(), Syscall.callOrErrno(Sys.GETPID));
    }

    @Test
    void moreThanNineArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Syscall.callFunction(Syscall.libcSymbol("abs"), new long[10]));
    }
}
