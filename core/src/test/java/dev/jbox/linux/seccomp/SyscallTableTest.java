package dev.jbox.linux.seccomp;

import dev.jbox.linux.Arch;
import dev.jbox.linux.Sys;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyscallTableTest {
    @Test
    void generatedTablesAgreeWithTheLaunchersOwnNumbers() {
        for (Arch arch : Arch.values()) {
            SyscallTable table = Abi.nativeOf(arch).table();
            for (Sys call : Sys.values()) {
                assertEquals(call.number(arch), table.number(call.callName()), arch + " " + call.callName());
            }
        }
    }

    @Test
    void knownNumbersOfEachAbi() {
        assertEquals(59, Abi.X86_64.table().number("execve"));
        assertEquals(11, Abi.I386.table().number("execve"));
        assertEquals(102, Abi.I386.table().number("socketcall"));
        assertEquals(0x40000000L + 520, Abi.X32.table().number("execve"), "x32 has its own execve");
        assertEquals(0x40000000L, Abi.X32.table().number("read"));
        assertEquals(221, Abi.AARCH64.table().number("execve"));
        assertEquals(-1, Abi.AARCH64.table().number("open"), "aarch64 only has openat");
        assertEquals("openat", Abi.AARCH64.table().name(56));
        assertNull(Abi.X86_64.table().name(0x40000000L));
    }

    @Test
    void tablesAreComplete() {
        assertTrue(Abi.X86_64.table().byNumber().size() > 350);
        assertTrue(Abi.I386.table().byNumber().size() > 430);
        assertTrue(Abi.X32.table().byNumber().size() > 340);
        assertTrue(Abi.AARCH64.table().byNumber().size() > 300);
        assertTrue(Abi.X32.table().byNumber().firstKey() >= 0x40000000L);
        for (Abi abi : Abi.values()) {
            assertTrue(abi.table().contains("close_range") && abi.table().contains("seccomp"), abi.name());
        }
    }
}
