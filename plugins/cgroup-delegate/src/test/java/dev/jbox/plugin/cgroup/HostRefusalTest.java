package dev.jbox.plugin.cgroup;

import dev.jbox.JboxException;
import dev.jbox.spec.CgroupManager;
import dev.jbox.spec.Limits;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.spi.SandboxContext;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On a host without a usable cgroup v2 (like the development machine: v1 hybrid, no systemd), the
 * real limiter refuses every manager with exit 125 before anything is created. Reads only.
 */
class HostRefusalTest {
    @TempDir Path tmp;

    @Test
    void limitsAreRefusedOnACgroupV1Host() throws Exception {
        CgroupLayout layout = CgroupLayout.parse(Files.readString(Path.of("/proc/self/mountinfo")));
        Assumptions.assumeTrue(layout.unified().isEmpty() || !layout.boundToV1(java.util.EnumSet.allOf(Controller.class)).isEmpty(),
                "this host has a unified cgroup v2 hierarchy: CgroupEnforcementTest covers it instead");
        for (CgroupManager manager : new CgroupManager[] {CgroupManager.AUTO, CgroupManager.SYSTEMD, CgroupManager.CGROUPFS}) {
            SandboxSpec spec = SandboxSpec.builder().command("true").limits(new Limits(64L << 20, null, null, 50L, null, null))
                    .cgroupManager(manager).build();
            JboxException e = assertThrows(JboxException.class,
                    () -> new CgroupDelegateLimiter().prepare(new SandboxContext("refused", spec, tmp, 1001, 1001)));
            assertEquals(125, e.exitCode());
            assertTrue(e.getMessage().startsWith("cannot apply --memory, --pids-limit: "), e.getMessage());
            assertTrue(e.getMessage().contains("hybrid cgroup v1/v2 layout") || e.getMessage().contains("no cgroup v2 hierarchy"), e.getMessage());
            assertEquals(Diagnosis.LAYOUT_HINT, e.hint());
        }
    }
}
