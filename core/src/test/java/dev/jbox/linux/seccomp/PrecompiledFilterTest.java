package dev.jbox.linux.seccomp;

import dev.jbox.linux.Arch;
import dev.jbox.linux.Capabilities;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class PrecompiledFilterTest {
    @Test
    void theShippedCodeIsWhatTheGeneratorWritesNow() throws IOException {
        Path shipped = Path.of("src/main/java/dev/jbox/linux/seccomp/DefaultFilterCode.java");  // Maven runs tests in core/
        assertEquals(PrecompiledFilter.source(), Files.readString(shipped),
                "the precompiled default filter is stale: run core/scripts/gen-default-filters.sh and commit the result");
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void theShippedWordsAreTheCompiledProgram(Arch arch) {
        assertArrayEquals(PrecompiledFilter.render(arch).toBytes(), BpfProgram.fromWords(DefaultFilterCode.words(arch)).toBytes());
    }

    @Test
    void anInstructionSurvivesItsWord() {
        for (BpfInsn insn : List.of(new BpfInsn(0xFFFF, 0xFF, 0xFF, -1), new BpfInsn(0x15, 3, 0, 0xC000003E), new BpfInsn(0, 0, 0, 0))) {
            assertEquals(insn, BpfInsn.fromWord(insn.word()));
        }
        assertEquals(0xc000003e_00_03_0015L, new BpfInsn(0x15, 3, 0, 0xC000003E).word());
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void usedForDefaultCapabilitiesOnSupportedKernels(Arch arch) {
        Capabilities defaults = Capabilities.dockerDefault(40);
        ProfileEntry.Sandbox sandbox = new ProfileEntry.Sandbox(arch, defaults.boundingNames(), new KernelVersion(6, 18));
        SeccompFilter loaded = PrecompiledFilter.load(sandbox);
        assertNotNull(loaded);
        assertArrayEquals(SeccompFilter.compile(DefaultProfile.profile(), sandbox).program().toBytes(), loaded.program().toBytes());
        assertEquals("the default seccomp profile", loaded.source());

        Capabilities nonRoot = Capabilities.resolve(List.of(), List.of(), false, 40);
        assertNotNull(PrecompiledFilter.load(new ProfileEntry.Sandbox(arch, nonRoot.boundingNames(), new KernelVersion(5, 11))),
                "a non-root user has the same bounding set");
        Capabilities admin = Capabilities.resolve(List.of("SYS_ADMIN"), List.of(), true, 40);
        assertNull(PrecompiledFilter.load(new ProfileEntry.Sandbox(arch, admin.boundingNames(), new KernelVersion(6, 1))));
        assertNull(PrecompiledFilter.load(new ProfileEntry.Sandbox(arch, defaults.boundingNames(), new KernelVersion(4, 19))),
                "older than the floor: compiled, so minKernel rules are evaluated");
    }
}
