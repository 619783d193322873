package dev.jbox.linux.seccomp;

import dev.jbox.linux.Arch;
import dev.jbox.linux.Capabilities;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class PrecompiledFilterTest {
    @ParameterizedTest
    @EnumSource(Arch.class)
    void shippedFilesAreWhatTheCompilerMakesOfTheProfile(Arch arch) throws IOException {
        byte[] shipped;
        try (InputStream in = PrecompiledFilter.class.getResourceAsStream(PrecompiledFilter.resource(arch))) {
            assertNotNull(in, "missing resource " + PrecompiledFilter.resource(arch) + ": run core/scripts/gen-default-filters.sh");
            shipped = in.readAllBytes();
        }
        assertArrayEquals(PrecompiledFilter.render(arch), shipped,
                "the precompiled default filter is stale: run core/scripts/gen-default-filters.sh and commit the result");
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
