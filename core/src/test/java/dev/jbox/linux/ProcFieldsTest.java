package dev.jbox.linux;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** Single fields of /proc files, read without the JDK's file API. */
class ProcFieldsTest {
    @Test
    void findsAFieldAtTheStartInTheMiddleAndAtTheEndWithoutNewline() {
        String text = "Name:\tjava\nSigCgt:\t0000000180014ecf\nPid:\t42";
        assertEquals(Optional.of("java"), ProcFields.find(text, "Name:"));
        assertEquals(Optional.of("0000000180014ecf"), ProcFields.find(text, "SigCgt:"));
        assertEquals(Optional.of("42"), ProcFields.find(text, "Pid:"));
        assertEquals(Optional.empty(), ProcFields.find(text, "Tgid:"));
        assertEquals(Optional.empty(), ProcFields.find("NSpid:\t1\n", "Pid:"), "a key must start its line");
    }

    @Test
    void readsThisJvmsCaughtSignalsAndPid() {
        long caught = Long.parseUnsignedLong(ProcFields.field("/proc/self/status", "SigCgt:").orElseThrow(), 16);
        assertNotEquals(0, caught & (1L << (11 - 1)), "HotSpot handles SIGSEGV");
        assertEquals(Optional.of(Long.toString(ProcessHandle.current().pid())), ProcFields.field("/proc/self/status", "Pid:"));
        assertEquals(Optional.empty(), ProcFields.field("/proc/self/no-such-file", "Pid:"));
    }
}
