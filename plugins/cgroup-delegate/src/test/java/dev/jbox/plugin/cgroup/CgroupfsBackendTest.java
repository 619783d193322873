package dev.jbox.plugin.cgroup;

import dev.jbox.JboxException;
import dev.jbox.spec.CgroupManager;
import dev.jbox.spec.Limits;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.spi.ChildProcess;
import dev.jbox.spi.ExitStatus;
import dev.jbox.spi.LaunchHooks;
import dev.jbox.spi.ResourceUsage;
import dev.jbox.spi.SandboxContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cgroupfs backend end to end through the limiter, on a temporary tree laid out like a delegated
 * cgroup2 subtree: jbox runs in the leaf {@code /deleg/main} beside its shell, the sandbox gets
 * {@code /deleg/jbox-<id>}.
 */
class CgroupfsBackendTest {
    private static final long MIB = 1 << 20;
    private static final String LEAF = "/sys/fs/cgroup/deleg/jbox-c0ffee";

    @TempDir Path tmp;
    private FakeHost fake;

    @BeforeEach
    void delegatedTree() throws Exception {
        fake = new FakeHost(tmp.resolve("root"), FakeHost.UNIFIED_MOUNTINFO, "/deleg/main");
        fake.cgroup("/deleg", "cpu io memory pids", "memory pids");
        fake.cgroup("/deleg/main", "memory pids", "", (int) FakeHost.SELF_PID, 999); // jbox and the shell that started it
    }

    private CgroupDelegateLimiter limiter() {
        return new CgroupDelegateLimiter(fake.host(Map.of(), Duration.ofSeconds(1)));
    }

    private LaunchHooks prepare(Limits limits, CgroupManager manager) throws Exception {
        SandboxSpec spec = SandboxSpec.builder().command("true").limits(limits).cgroupManager(manager).build();
        return limiter().prepare(new SandboxContext("c0ffee", spec, tmp, 1001, 1001));
    }

    @Test
    void leafIsCreatedLimitedJoinedAndRemoved() throws Exception {
        LaunchHooks hooks = prepare(new Limits(64 * MIB, null, 0.5, 50L, 200, 300), CgroupManager.CGROUPFS);
        assertEquals(List.of(
                "/sys/fs/cgroup/deleg/cgroup.subtree_control=+cpu +io",
                LEAF + "/memory.max=67108864",
                LEAF + "/memory.swap.max=67108864",
                LEAF + "/cpu.max=50000 100000",
                LEAF + "/cpu.weight=200",
                LEAF + "/pids.max=50",
                LEAF + "/io.weight=default 300"), fake.fs.writes());
        hooks.childCreated(new ChildProcess(4242, -1));
        assertEquals(LEAF + "/cgroup.procs=4242", fake.fs.writes().getLast());
        assertEquals("4242\n", Files.readString(fake.root.resolve(LEAF.substring(1) + "/cgroup.procs")));

        hooks.exited(ExitStatus.exited(0));
        fake.fs.processesExited(fake.root.resolve(LEAF.substring(1)));
        hooks.close();
        assertEquals("rmdir " + LEAF, fake.fs.writes().getLast());
        assertFalse(Files.exists(fake.root.resolve(LEAF.substring(1))));
        assertTrue(fake.warnings.isEmpty(), fake.warnings.toString());
    }

    @Test
    void autoFallsBackToCgroupfsWithoutASession() throws Exception {
        try (LaunchHooks hooks = prepare(new Limits(null, null, null, 50L, null, null), CgroupManager.AUTO)) {
            assertEquals(List.of(LEAF + "/pids.max=50"), fake.fs.writes());
        }
    }

    @Test
    void oomKillInTheLeafIsReported() throws Exception {
        try (LaunchHooks hooks = prepare(new Limits(32 * MIB, null, null, null, null, null), CgroupManager.CGROUPFS)) {
            hooks.childCreated(new ChildProcess(4242, -1));
            Files.writeString(fake.root.resolve(LEAF.substring(1) + "/memory.events"), "low 0\nhigh 0\nmax 3\noom 2\noom_kill 2\n");
            hooks.exited(ExitStatus.exited(1));
            assertEquals(Optional.of("2 processes in the sandbox killed: out of memory, limit 32 MiB"), hooks.exitNote());
            fake.fs.processesExited(fake.root.resolve(LEAF.substring(1)));
        }
    }

    @Test
    void impliedSwapLimitIsSkippedWithoutSwapAccounting() throws Exception {
        fake.fs.swapAccounting = false;
        try (LaunchHooks hooks = prepare(new Limits(64 * MIB, null, null, null, null, null), CgroupManager.CGROUPFS)) {
            assertEquals(List.of(LEAF + "/memory.max=67108864"), fake.fs.writes());
            assertEquals(1, fake.warnings.size());
            assertTrue(fake.warnings.getFirst().contains("has no memory.swap.max"), fake.warnings.getFirst());
        }
    }

    @Test
    void explicitSwapLimitWithoutSwapAccountingRefusesAndRemovesTheLeaf() {
        fake.fs.swapAccounting = false;
        JboxException e = assertThrows(JboxException.class,
                () -> prepare(new Limits(64 * MIB, 128 * MIB, null, null, null, null), CgroupManager.CGROUPFS));
        assertTrue(e.getMessage().startsWith("cannot apply --memory-swap: " + fake.root.resolve(LEAF.substring(1)) + " has no memory.swap.max"),
                e.getMessage());
        assertEquals("rmdir " + LEAF, fake.fs.writes().getLast());
    }

    @Test
    void leafThatCannotBeRemovedIsReported() throws Exception {
        LaunchHooks hooks = prepare(new Limits(null, null, null, 50L, null, null), CgroupManager.CGROUPFS);
        hooks.childCreated(new ChildProcess(4242, -1));
        hooks.close(); // 4242 is still in it
        assertEquals(List.of("could not remove cgroup " + fake.root.resolve(LEAF.substring(1)) + ": Device or resource busy"), fake.warnings);
    }

    /** {@code systemd-run --user --scope -p Delegate=yes jbox run --memory …}: the scope is jbox's alone. */
    @Test
    void jboxAloneInItsDelegatedCgroupMovesItselfToASupervisorLeaf() throws Exception {
        FakeHost alone = new FakeHost(tmp.resolve("alone"), FakeHost.UNIFIED_MOUNTINFO, "/app.slice/run-1.scope");
        alone.cgroup("/app.slice", "memory pids", "memory pids");
        alone.cgroup("/app.slice/run-1.scope", "memory pids", "", (int) FakeHost.SELF_PID);
        try (LaunchHooks hooks = new CgroupDelegateLimiter(alone.host(Map.of(), Duration.ofSeconds(1)))
                .prepare(new SandboxContext("c0ffee", memoryOnly(), tmp, 1001, 1001))) {
            String scope = "/sys/fs/cgroup/app.slice/run-1.scope";
            assertEquals(List.of(
                    scope + "/jbox-supervisor/cgroup.procs=" + FakeHost.SELF_PID,
                    scope + "/cgroup.subtree_control=+memory",
                    scope + "/jbox-c0ffee/memory.max=67108864",
                    scope + "/jbox-c0ffee/memory.swap.max=67108864"), alone.fs.writes(), "nothing written outside the scope");
        }
    }

    @Test
    void jboxSharingAnUndelegatedParentsCgroupIsRefused() throws Exception {
        FakeHost shared = new FakeHost(tmp.resolve("shared"), FakeHost.UNIFIED_MOUNTINFO, "/main");
        shared.cgroup("/main", "memory pids", "", (int) FakeHost.SELF_PID, 999);
        JboxException e = assertThrows(JboxException.class, () -> new CgroupDelegateLimiter(shared.host(Map.of(), Duration.ofSeconds(1)))
                .prepare(new SandboxContext("c0ffee", memoryOnly(), tmp, 1001, 1001)));
        assertEquals("cannot apply --memory: no delegated cgroup v2 subtree to create the sandbox's cgroup in: jbox's cgroup /main holds"
                + " 2 processes, so it cannot enable the memory controller for a child (cgroup v2 allows no processes in a cgroup that does);"
                + " its parent / is not delegated to you (not writable)", e.getMessage());
        assertEquals(125, e.exitCode());
        assertTrue(shared.fs.writes().isEmpty(), shared.fs.writes().toString());
    }

    private static SandboxSpec memoryOnly() {
        return SandboxSpec.builder().command("true").limits(new Limits(64 * MIB, null, null, null, null, null))
                .cgroupManager(CgroupManager.CGROUPFS).build();
    }

    @Test
    void usageOfARunningSandbox() throws Exception {
        try (LaunchHooks hooks = prepare(new Limits(64 * MIB, null, 0.5, 50L, null, null), CgroupManager.CGROUPFS)) {
            hooks.childCreated(new ChildProcess(4242, -1));
            Path leaf = fake.root.resolve(LEAF.substring(1));
            Files.createDirectories(fake.root.resolve("proc/4242"));
            Files.writeString(fake.root.resolve("proc/4242/cgroup"), "0::/deleg/jbox-c0ffee\n");
            Files.writeString(leaf.resolve("memory.current"), "1048576\n");
            Files.writeString(leaf.resolve("cpu.stat"), "usage_usec 250000\nuser_usec 200000\nsystem_usec 50000\nnr_periods 10\nnr_throttled 4\nthrottled_usec 90000\n");
            Files.writeString(leaf.resolve("pids.current"), "3\n");
            assertEquals(Optional.of(new ResourceUsage(1048576L, 67108864L, 250000L, 90000L, 3L, 50L, 0L)), limiter().usage(4242));
            assertEquals(Optional.empty(), limiter().usage(1234), "jbox's own process is in no sandbox cgroup");
            fake.fs.processesExited(leaf);
        }
    }
}
