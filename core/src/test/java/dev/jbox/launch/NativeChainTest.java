package dev.jbox.launch;

import dev.jbox.linux.Arch;
import dev.jbox.linux.Sys;
import dev.jbox.plan.Step;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
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
        try (Arena arena = Arena.ofConfined()) {
            NativeChain chain = NativeChain.assemble(program, arena, arch);
            int calls = program.calls().size();
            int expectedLinks = 1 + 3 * calls - 2;  // errno reset, then call+save+reset each; exit_group has no save/reset
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
            assertEquals(expectedLinks, links);
            assertEquals(program.calls().stream().filter(c -> c.sys() == Sys.EXECVE).count(), unmasked, "only execve links unblock signals");
            for (int i = 0; i < calls; i++) assertEquals(0, chain.errnoOf(i));
        }
    }
}
