package dev.jbox.plugin.cgroup;

import dev.jbox.JboxException;
import dev.jbox.spec.CgroupManager;
import dev.jbox.spec.Limits;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.spi.ChildProcess;
import dev.jbox.spi.ExitStatus;
import dev.jbox.spi.LaunchHooks;
import dev.jbox.spi.SandboxContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The systemd backend against a real dbus-daemon with {@link FakeSystemd} on it: the exact unit
 * properties per flag, the JobRemoved wait, fallbacks and refusals, cleanup on every path, OOM notes.
 */
class SystemdBackendTest {
    private static final String ID = "c0ffee";
    private static final String UNIT = "jbox-c0ffee.scope";
    private static final int PID = 4242;
    private static final long MIB = 1 << 20;
    private static final List<String> BASE = List.of("Description=jbox sandbox c0ffee: sleep 1", "Slice=jbox-c0ffee.slice", "PIDs=[4242]",
            "Delegate=true", "DefaultDependencies=false");
    private static final List<String> CLEANUP = List.of("StopUnit jbox-c0ffee.scope fail", "ResetFailedUnit jbox-c0ffee.scope",
            "StopUnit jbox-c0ffee.slice fail");

    @TempDir static Path busDir;
    private static PrivateBus bus;

    @TempDir Path tmp;
    private FakeHost fake;
    private FakeSystemd systemd;

    @BeforeAll
    static void startBus() throws Exception {
        bus = PrivateBus.start(busDir);
    }

    @AfterAll
    static void stopBus() throws Exception {
        if (bus != null) bus.close();
    }

    @BeforeEach
    void startSystemd() throws Exception {
        fake = new FakeHost(tmp.resolve("root"), FakeHost.UNIFIED_MOUNTINFO, "/user.slice/user-1001.slice/session-2.scope");
        fake.cgroup("/user.slice/user-1001.slice/session-2.scope", "memory pids", "", 1234);
        systemd = new FakeSystemd(bus.address(), fake);
    }

    @AfterEach
    void stopSystemd() throws Exception {
        systemd.close();
    }

    private LaunchHooks prepare(Limits limits, CgroupManager manager, Duration jobTimeout) throws Exception {
        Map<String, String> env = Map.of("DBUS_SESSION_BUS_ADDRESS", bus.address());
        SandboxSpec spec = SandboxSpec.builder().command("sleep", "1").limits(limits).cgroupManager(manager).build();
        return new CgroupDelegateLimiter(fake.host(env, jobTimeout)).prepare(new SandboxContext(ID, spec, tmp, 1001, 1001));
    }

    private LaunchHooks prepare(Limits limits) throws Exception {
        return prepare(limits, CgroupManager.AUTO, Duration.ofSeconds(5));
    }

    private LaunchHooks placed(Limits limits) throws Exception {
        LaunchHooks hooks = prepare(limits);
        hooks.childCreated(new ChildProcess(PID, -1));
        return hooks;
    }

    private static Limits memory(long bytes) {
        return new Limits(bytes, null, null, null, null, null);
    }

    private List<String> sentProperties() {
        return systemd.properties(UNIT).stream().map(UnitProperty::toString).toList();
    }

    private static List<String> base(String... more) {
        List<String> all = new java.util.ArrayList<>(BASE);
        all.addAll(List.of(more));
        return all;
    }

    @Test
    void memoryBecomesMemoryMaxWithSwapAsLargeAsMemory() throws Exception {
        try (LaunchHooks hooks = placed(memory(64 * MIB))) {
            assertEquals(base("MemoryAccounting=true", "MemoryMax=67108864", "MemorySwapMax=67108864"), sentProperties());
        }
    }

    @Test
    void cpusBecomeQuotaPerSecond() throws Exception {
        try (LaunchHooks hooks = placed(new Limits(null, null, 0.5, null, null, null))) {
            assertEquals(base("CPUAccounting=true", "CPUQuotaPerSecUSec=500000"), sentProperties());
        }
    }

    @Test
    void pidsLimitBecomesTasksMax() throws Exception {
        try (LaunchHooks hooks = placed(new Limits(null, null, null, 50L, null, null))) {
            assertEquals(base("TasksAccounting=true", "TasksMax=50"), sentProperties());
        }
    }

    @Test
    void everyFlagTogether() throws Exception {
        try (LaunchHooks hooks = placed(new Limits(64 * MIB, 96 * MIB, 1.5, 50L, 200, 300))) {
            assertEquals(base("MemoryAccounting=true", "CPUAccounting=true", "IOAccounting=true", "TasksAccounting=true",
                    "MemoryMax=67108864", "MemorySwapMax=33554432", "CPUQuotaPerSecUSec=1500000", "CPUWeight=200",
                    "TasksMax=50", "IOWeight=300"), sentProperties());
            assertEquals(List.of("StartTransientUnit jbox-c0ffee.scope fail aux=0"),
                    systemd.calls().stream().filter(c -> c.startsWith("Start")).toList());
        }
    }

    @Test
    void unlimitedSwapIsInfinity() throws Exception {
        try (LaunchHooks hooks = placed(new Limits(64 * MIB, -1L, null, null, null, null))) {
            assertTrue(sentProperties().contains("MemorySwapMax=infinity"), sentProperties().toString());
        }
    }

    @Test
    void normalExitStopsAndResetsTheScope() throws Exception {
        LaunchHooks hooks = placed(memory(64 * MIB));
        hooks.exited(ExitStatus.exited(0));
        assertEquals(Optional.empty(), hooks.exitNote());
        hooks.close();
        assertEquals(CLEANUP, cleanupCalls());
    }

    @Test
    void launchFailingAfterPlacementStillCleansUp() throws Exception {
        LaunchHooks hooks = placed(memory(64 * MIB));
        hooks.close(); // the launcher closes without exited() when a later step fails
        assertEquals(CLEANUP, cleanupCalls());
    }

    @Test
    void failedJobRefusesAndCleansUp() throws Exception {
        systemd.jobResult = "failed";
        LaunchHooks hooks = prepare(memory(64 * MIB));
        JboxException e = assertThrows(JboxException.class, () -> hooks.childCreated(new ChildProcess(PID, -1)));
        hooks.close();
        assertEquals("cannot apply --memory: systemd could not start jbox-c0ffee.scope (job result: failed)", e.getMessage());
        assertEquals("journalctl --user -u jbox-c0ffee.scope", e.hint());
        assertEquals(125, e.exitCode());
        assertEquals(CLEANUP, cleanupCalls());
    }

    @Test
    void refusedStartIsReported() throws Exception {
        systemd.failStart = "Access denied";
        try (LaunchHooks hooks = prepare(memory(64 * MIB))) {
            JboxException e = assertThrows(JboxException.class, () -> hooks.childCreated(new ChildProcess(PID, -1)));
            assertEquals("cannot apply --memory: systemd refused to start jbox-c0ffee.scope: Access denied", e.getMessage());
        }
    }

    @Test
    void jobRemovedBeforeTheReplyIsNotMissed() throws Exception {
        systemd.signalBeforeReply = true;
        try (LaunchHooks hooks = placed(memory(64 * MIB))) {
            assertEquals(base("MemoryAccounting=true", "MemoryMax=67108864", "MemorySwapMax=67108864"), sentProperties());
        }
    }

    @Test
    void silentSystemdTimesOut() throws Exception {
        systemd.emitJobRemoved = false;
        LaunchHooks hooks = prepare(memory(64 * MIB), CgroupManager.SYSTEMD, Duration.ofSeconds(1));
        long start = System.nanoTime();
        JboxException e = assertThrows(JboxException.class, () -> hooks.childCreated(new ChildProcess(PID, -1)));
        long waitedMs = (System.nanoTime() - start) / 1_000_000;
        hooks.close();
        assertEquals("cannot apply --memory: systemd did not finish starting jbox-c0ffee.scope within 1 s", e.getMessage());
        assertTrue(waitedMs >= 900 && waitedMs < 4000, "waited " + waitedMs + " ms");
        assertTrue(cleanupCalls().contains("StopUnit jbox-c0ffee.scope fail"));
    }

    @Test
    void unknownAccountingPropertyIsDroppedWithAWarning() throws Exception {
        systemd.unknownProperties.add("IOAccounting");
        try (LaunchHooks hooks = placed(new Limits(null, null, null, null, null, 300))) {
            assertEquals(base("IOWeight=300"), sentProperties());
            assertEquals(2, systemd.calls().stream().filter(c -> c.startsWith("StartTransientUnit")).count());
            assertEquals(List.of("systemd does not know the unit property IOAccounting; starting jbox-c0ffee.scope without it"), fake.warnings);
        }
    }

    @Test
    void impliedSwapLimitIsDroppedWhenUnknown() throws Exception {
        systemd.unknownProperties.add("MemorySwapMax");
        try (LaunchHooks hooks = placed(memory(64 * MIB))) {
            assertEquals(base("MemoryAccounting=true", "MemoryMax=67108864"), sentProperties());
            assertEquals(1, fake.warnings.size());
        }
    }

    @Test
    void rejectedLimitPropertyRefuses() throws Exception {
        systemd.unknownProperties.add("MemorySwapMax");
        try (LaunchHooks hooks = prepare(new Limits(64 * MIB, 128 * MIB, null, null, null, null))) {
            JboxException e = assertThrows(JboxException.class, () -> hooks.childCreated(new ChildProcess(PID, -1)));
            assertTrue(e.getMessage().startsWith("cannot apply --memory-swap: this systemd does not support the unit property MemorySwapMax"),
                    e.getMessage());
            assertTrue(fake.warnings.isEmpty(), fake.warnings.toString());
            assertNull(systemd.properties(UNIT));
        }
    }

    @Test
    void controllerMissingFromTheScopeRefusesAfterPlacement() throws Exception {
        systemd.scopeControllers = "memory pids";
        LaunchHooks hooks = prepare(new Limits(null, null, 0.5, 50L, null, null));
        JboxException e = assertThrows(JboxException.class, () -> hooks.childCreated(new ChildProcess(PID, -1)));
        hooks.close();
        assertEquals("cannot apply --cpus, --pids-limit: the systemd user manager does not delegate the cpu controller to your units"
                + " (it has: memory pids)", e.getMessage());
        assertTrue(e.hint().contains("/etc/systemd/system/user@.service.d/delegate.conf"), e.hint());
        assertTrue(e.hint().contains("Delegate=cpu cpuset io memory pids"), e.hint());
        assertTrue(cleanupCalls().contains("StopUnit jbox-c0ffee.scope fail"));
    }

    @Test
    void controllerNotDelegatedRefusesBeforeStartingAnything() throws Exception {
        systemd.delegate("memory pids");
        JboxException e = assertThrows(JboxException.class,
                () -> prepare(new Limits(null, null, 0.5, null, null, 100), CgroupManager.SYSTEMD, Duration.ofSeconds(5)));
        assertEquals("cannot apply --cpus, --io-weight: the systemd user manager does not delegate the cpu, io controllers to your units"
                + " (it has: memory pids)", e.getMessage());
        assertTrue(e.hint().contains("delegate.conf"));
        assertFalse(systemd.calls().stream().anyMatch(c -> c.startsWith("StartTransientUnit")), systemd.calls().toString());
    }

    @Test
    void oomKillIsReportedFromTheScopesMemoryEvents() throws Exception {
        try (LaunchHooks hooks = placed(memory(64 * MIB))) {
            Files.writeString(systemd.scopeDir(UNIT).resolve("memory.events"), "low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\n");
            hooks.exited(ExitStatus.killed(9, false));
            assertEquals(Optional.of("killed: out of memory, limit 64 MiB"), hooks.exitNote());
        }
    }

    @Test
    void oomKillIsReportedFromTheSliceOnceSystemdRemovedTheEmptiedScope() throws Exception {
        try (LaunchHooks hooks = placed(memory(64 * MIB))) {
            Path scope = systemd.scopeDir(UNIT);
            assertEquals("jbox-c0ffee.slice", scope.getParent().getFileName().toString());
            Files.writeString(scope.getParent().resolve("memory.events"), "low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\n");
            fake.fs.rmdir(scope); // systemd removes a scope's cgroup as soon as it is empty
            hooks.exited(ExitStatus.killed(9, false));
            assertEquals(Optional.of("killed: out of memory, limit 64 MiB"), hooks.exitNote());
        }
    }

    @Test
    void noOomNoNote() throws Exception {
        try (LaunchHooks hooks = placed(memory(64 * MIB))) {
            hooks.exited(ExitStatus.exited(1));
            assertEquals(Optional.empty(), hooks.exitNote());
        }
    }

    @Test
    void busWithoutSystemdIsRefused() throws Exception {
        systemd.close();
        JboxException e = assertThrows(JboxException.class,
                () -> prepare(memory(64 * MIB), CgroupManager.SYSTEMD, Duration.ofSeconds(5)));
        assertEquals("cannot apply --memory: no systemd user manager on the user bus " + bus.address()
                + " (nothing owns org.freedesktop.systemd1)", e.getMessage());
        assertTrue(e.hint().contains("loginctl enable-linger $USER"), e.hint());
        systemd = new FakeSystemd(bus.address(), fake);
    }

    private List<String> cleanupCalls() {
        return systemd.calls().stream().filter(c -> c.startsWith("StopUnit") || c.startsWith("ResetFailedUnit")).toList();
    }
}
