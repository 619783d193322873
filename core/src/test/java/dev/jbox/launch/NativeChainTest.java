package dev.jbox.launch;

import dev.jbox.linux.Arch;
import dev.jbox.linux.Sys;
import dev.jbox.plan.Step;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.*;

/** The native layout of the chain, read back from memory: no process is started. */
class NativeChainTest {
    @Test
    void linksFormOneListWithOwnStacksAndBlockedSignalsExceptExecve() {
        ChainProgram program = ChainProgramTest.lower(List.of(new Step.SetHostname("h"), new Step.NewSession()), 0);
        Arch arch = Arch.current();
        NativeChain chain = NativeChain.assemble(program, arch);
        try {
            int calls = program.calls().size();
            Set<Long> stacks = new HashSet<>();
            int links = 0, unmasked = 0;
            for (MemorySegment uc = chain.first; !uc.equals(MemorySegment.NULL); links++) {
                uc = uc.reinterpret(arch.ucontextBytes);
                assertTrue(stacks.add(uc.get(ADDRESS, Arch.UC_STACK_SP_OFFSET).address()), "every link has its own stack");
                if (arch.ucFpregsPointerOffset >= 0) {
                    assertEquals(uc.address() + arch.ucFpregsMemOffset, uc.get(ADDRESS, arch.ucFpregsPointerOffset).address(),
                            "each link's saved FP state is its own, not the context it was copied from");
                }
                long mask = uc.get(JAVA_LONG, arch.ucSigmaskOffset);
                if (mask == 0) unmasked++;
                else assertEquals(-1L, mask);
                uc = uc.get(ADDRESS, Arch.UC_LINK_OFFSET);
            }
            assertEquals(NativeChain.linkCount(program), links);
            assertEquals(program.calls().stream().filter(c -> c.sys() == Sys.EXECVE).count(), unmasked, "only execve links unblock signals");
            for (int i = 0; i < calls; i++) assertEquals(0, chain.errnoOf(i));
        } finally {
            chain.release();
        }
    }

    /** Data.bytes and Data.value are if-else chains (no pattern switch on the launch path): this is their exhaustiveness check. */
    @Test
    void everyKindOfArgumentIsLaidOut() {
        ChainProgram program = ChainProgramTest.lower(ChainProgramTest.oneStepOfEachKind(), 0);
        Set<Class<?>> kinds = new HashSet<>();
        for (Call call : program.calls()) for (Arg arg : call.args()) kinds.add(arg.getClass());
        assertEquals(Set.of(Arg.class.getPermittedSubclasses()), kinds, "a new kind of argument: give the program one");
        NativeChain.assemble(program, Arch.current()).release();
    }

    @Test
    void errnoIsCopiedWhereTheParentReadsItAndResetOnlyAfterToleratedFailures() {
        ChainProgram program = ChainProgramTest.lower(List.of(new Step.MakeDirectory("/d", 0755), new Step.SetHostname("h")), 0);
        List<Call> calls = program.calls();
        int mkdir = ChainProgramTest.trace(program).indexOf(Sys.MKDIRAT), hostname = ChainProgramTest.trace(program).indexOf(Sys.SETHOSTNAME);
        assertTrue(program.reportsErrno(mkdir) && program.clearsErrnoAfter(mkdir), "EEXIST is tolerated: must not leak into the next slot");
        assertTrue(program.reportsErrno(hostname) && !program.clearsErrnoAfter(hostname), "a failure here fails the launch: the first non-zero slot names it");
        for (int i = program.checkpoint(); i < calls.size(); i++) {
            assertEquals(calls.get(i).sys() == Sys.EXECVE, program.reportsErrno(i), "after the checkpoint only execve's errno is read: " + calls.get(i));
            assertFalse(program.clearsErrnoAfter(i), "a failing execve sets errno itself");
        }
        // 1 initial reset, a link per call, a copy for each reported call, a reset after mkdir.
        long reported = java.util.stream.IntStream.range(0, calls.size()).filter(program::reportsErrno).count();
        assertEquals(1 + calls.size() + reported + 1, NativeChain.linkCount(program));
    }

    @Test
    void theExecGateAndTheSlotsStartZeroedInAReusedBlock() {
        ChainProgram program = ChainProgramTest.lower(List.of(new Step.SetHostname("h")), 0);
        NativeChain dirty = NativeChain.assemble(program, Arch.current());
        dirty.gate.fill((byte) 'x');
        dirty.slots.fill((byte) 7);
        dirty.release();
        NativeChain reused = NativeChain.assemble(program, Arch.current());
        try {
            assertEquals(dirty.gate.address(), reused.gate.address(), "the same pooled block");
            for (long i = 0; i < reused.gate.byteSize(); i++) assertEquals(0, reused.gate.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i),
                    "should the parent die, the child execs the empty path: nothing runs");
            for (int i = 0; i < program.calls().size(); i++) assertEquals(0, reused.errnoOf(i));
            assertEquals(-1, reused.pidfdOut.get(java.lang.foreign.ValueLayout.JAVA_INT, 0));
        } finally {
            reused.release();
        }
    }
}
