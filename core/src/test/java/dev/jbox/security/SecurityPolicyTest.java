package dev.jbox.security;

import dev.jbox.linux.Arch;
import dev.jbox.linux.Capability;
import dev.jbox.linux.seccomp.KernelVersion;
import dev.jbox.spec.Identity;
import dev.jbox.spec.SecuritySpec;
import dev.jbox.spec.SpecException;
import dev.jbox.spec.UserNamespaceMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecurityPolicyTest {
    private static final KernelVersion KERNEL = new KernelVersion(6, 1);
    private static final Identity USER = new Identity(UserNamespaceMode.SINGLE, 1000, 1000);

    @TempDir
    Path dir;

    private static SecurityPlan resolve(SecuritySpec spec, Identity id) {
        return SecurityPolicy.resolve(spec, id, Arch.X86_64, 40, KERNEL);
    }

    @Test
    void defaultSpecGetsDockersCapabilitiesAndTheDefaultFilter() {
        SecurityPlan plan = resolve(SecuritySpec.DEFAULT, Identity.ROOT);
        assertEquals(Capability.DOCKER_DEFAULT, Capability.ofMask(plan.capabilities().bounding()));
        assertTrue(plan.noNewPrivs());
        assertTrue(plan.seccompFilter().isPresent());
        assertSame(plan.seccomp(), resolve(SecuritySpec.DEFAULT, Identity.ROOT).seccomp(), "compiled once, reused");
        assertTrue(plan.describe().contains("seccomp: the default seccomp profile for x86_64, "), plan.describe());
    }

    @Test
    void becomesThePlanCompilersHardening() {
        SecurityPlan plan = resolve(SecuritySpec.DEFAULT, USER);
        dev.jbox.plan.Hardening h = plan.toHardening();
        assertEquals(plan.capabilities().boundingDropMask(), h.boundingDrop());
        assertEquals(0, h.effective());
        assertEquals(0, h.permitted());
        assertTrue(h.changesCapabilities());
        assertEquals(plan.seccomp().program().length(), h.seccompInstructions());
        assertEquals(8 * h.seccompInstructions(), h.seccompProgram().length);
        assertEquals("the default seccomp profile", h.seccompName());
        dev.jbox.plan.Hardening unconfined = resolve(new SecuritySpec(SecuritySpec.Seccomp.UNCONFINED, Set.of(), Set.of()), Identity.ROOT).toHardening();
        assertEquals(null, unconfined.seccompProgram());
        assertEquals(0x00000000a80425fbL, unconfined.effective());
    }

    @Test
    void capabilityChangesSelectAnotherDefaultFilter() {
        SecurityPlan plain = resolve(SecuritySpec.DEFAULT, Identity.ROOT);
        SecurityPlan admin = resolve(new SecuritySpec(SecuritySpec.Seccomp.DEFAULT, Set.of("SYS_ADMIN"), Set.of()), Identity.ROOT);
        assertNotSame(plain.seccomp(), admin.seccomp());
        assertTrue(!Arrays.equals(plain.seccomp().program().toBytes(), admin.seccomp().program().toBytes()));
    }

    @Test
    void nonRootUserHasABoundingSetButNoEffectiveCapabilities() {
        SecurityPlan plan = resolve(SecuritySpec.DEFAULT, USER);
        assertEquals(0, plan.capabilities().effective());
        assertEquals(Capability.DOCKER_DEFAULT, Capability.ofMask(plan.capabilities().bounding()));
        assertSame(resolve(SecuritySpec.DEFAULT, Identity.ROOT).seccomp(), plan.seccomp(), "same bounding set, same filter");
    }

    @Test
    void unconfinedHasNoFilterButStillDropsCapabilities() {
        SecurityPlan plan = resolve(new SecuritySpec(SecuritySpec.Seccomp.UNCONFINED, Set.of(), Set.of("ALL")), Identity.ROOT);
        assertTrue(plan.seccompFilter().isEmpty());
        assertEquals(0, plan.capabilities().bounding());
        assertTrue(plan.describe().endsWith("seccomp: unconfined"));
    }

    @Test
    void profileFileIsReadAndCompiled() throws IOException {
        Path file = dir.resolve("p.json");
        Files.writeString(file, "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"keyctl\"], \"action\": \"SCMP_ACT_ERRNO\"}]}");
        SecurityPlan plan = resolve(new SecuritySpec(SecuritySpec.Seccomp.parse(file.toString()), Set.of(), Set.of()), Identity.ROOT);
        assertTrue(plan.seccomp().source().equals(file.toString()));
        assertTrue(plan.seccomp().program().length() > 10);
    }

    @Test
    void unknownCapabilityIsASpecError() {
        SecuritySpec spec = new SecuritySpec(SecuritySpec.Seccomp.DEFAULT, Set.of("NET_RAWW"), Set.of());
        assertTrue(assertThrows(SpecException.class, () -> resolve(spec, Identity.ROOT)).getMessage().startsWith("unknown capability \"NET_RAWW\""));
    }

    /** Prints what the launch path pays; the assertions only catch order-of-magnitude regressions. */
    @Test
    void resolvingIsCheapOnceTheFilterIsCompiled() {
        SecuritySpec spec = new SecuritySpec(SecuritySpec.Seccomp.DEFAULT, Set.of("NET_ADMIN"), Set.of());
        long t0 = System.nanoTime();
        SecurityPlan first = SecurityPolicy.resolve(spec, Identity.ROOT, Arch.X86_64, 40, new KernelVersion(6, 2));
        long firstNanos = System.nanoTime() - t0;
        long[] warm = new long[200];
        for (int i = 0; i < warm.length; i++) {
            long t = System.nanoTime();
            SecurityPolicy.resolve(spec, Identity.ROOT, Arch.X86_64, 40, new KernelVersion(6, 2));
            warm[i] = System.nanoTime() - t;
        }
        Arrays.sort(warm);
        System.out.printf("SecurityPolicy.resolve: first (compiles the default filter, %d instructions) %.2f ms, cached median %.1f µs%n",
                first.seccomp().program().length(), firstNanos / 1e6, warm[warm.length / 2] / 1e3);
        assertTrue(warm[warm.length / 2] < 2_000_000, "cached resolve median " + warm[warm.length / 2] + " ns");
    }
}
