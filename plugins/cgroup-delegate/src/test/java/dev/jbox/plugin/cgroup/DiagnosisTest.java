package dev.jbox.plugin.cgroup;

import dev.jbox.spec.CgroupManager;
import dev.jbox.spec.Limits;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The backend choice and every refusal, as a pure function of the host's facts. */
class DiagnosisTest {
    private static final LimitPlan MEMORY_PIDS = LimitPlan.compile(new Limits(64L << 20, null, null, 50L, null, null));
    private static final LimitPlan CPUS = LimitPlan.compile(new Limits(null, null, 0.5, null, null, null));
    private static final String OWN = "/user.slice/user-1000.slice/session-2.scope";
    private static final String PARENT = "/user.slice/user-1000.slice";
    private static final BusStatus BUS = new BusStatus.Available("unix:path=/run/user/1000/bus", Optional.of(Set.of("memory", "pids")));
    private static final BusStatus NO_SESSION = new BusStatus.Unavailable("there is no user session", HostProbe.SESSION_HINT);
    /** A login session's scope: not delegated, holds the shell and jbox. */
    private static final DirFacts SESSION = new DirFacts(OWN, Set.of("memory", "pids"), Set.of(), 2, false, false);
    private static final DirFacts USER_SLICE = new DirFacts(PARENT, Set.of("memory", "pids", "cpu"), Set.of("memory", "pids"), 0, false, false);

    private static HostFacts unified(DirFacts own, DirFacts parent, BusStatus bus) {
        return new HostFacts(FakeHost.UNIFIED_MOUNTINFO, "0::" + own.path() + "\n", own, parent, bus);
    }

    private static Choice.Refused refused(Choice choice) {
        return assertInstanceOf(Choice.Refused.class, choice);
    }

    @Test
    void thisHostsRealMountinfoIsRefusedAsHybrid() throws Exception {
        String mountinfo = Files.readString(Path.of("/proc/self/mountinfo"));
        CgroupLayout layout = CgroupLayout.parse(mountinfo);
        org.junit.jupiter.api.Assumptions.assumeTrue(layout.unified().isPresent() && !layout.boundToV1(MEMORY_PIDS.controllers()).isEmpty(),
                "this host is not a cgroup v1/v2 hybrid (the development machine is); its own refusal is in HostRefusalTest");
        HostFacts facts = new HostFacts(mountinfo, Files.readString(Path.of("/proc/self/cgroup")), null, null, BusStatus.NOT_PROBED);
        Choice.Refused r = refused(Diagnosis.decide(CgroupManager.AUTO, MEMORY_PIDS, facts));
        assertEquals("cannot apply --memory, --pids-limit: the memory, pids controllers are bound to cgroup v1"
                + " (/sys/fs/cgroup/memory, /sys/fs/cgroup/pids), and cgroup v2 at /sys/fs/cgroup/unified cannot have them:"
                + " this host has a hybrid cgroup v1/v2 layout", r.message());
        assertEquals("limits need the unified cgroup v2 hierarchy: boot with systemd.unified_cgroup_hierarchy=1 (the default since"
                + " systemd 247), or run without limits", r.hint());
    }

    @Test
    void hybridLayoutIsRefusedWhateverTheManager() {
        for (CgroupManager m : new CgroupManager[] {CgroupManager.AUTO, CgroupManager.SYSTEMD, CgroupManager.CGROUPFS}) {
            HostFacts facts = new HostFacts(CgroupLayoutTest.HYBRID, "0::/\n", null, null, BUS);
            Choice.Refused r = refused(Diagnosis.decide(m, CPUS, facts));
            assertEquals("cannot apply --cpus: the cpu controller is bound to cgroup v1 (/sys/fs/cgroup/cpu), and cgroup v2 at"
                    + " /sys/fs/cgroup/unified cannot have it: this host has a hybrid cgroup v1/v2 layout", r.message());
        }
    }

    @Test
    void legacyLayoutIsRefused() {
        Choice.Refused r = refused(Diagnosis.decide(CgroupManager.AUTO, CPUS, new HostFacts(CgroupLayoutTest.LEGACY, "", null, null, BUS)));
        assertEquals("cannot apply --cpus: this host has no cgroup v2 hierarchy (/proc/self/mountinfo shows only cgroup v1: cpu, cpuacct, memory)",
                r.message());
        assertEquals(Diagnosis.LAYOUT_HINT, r.hint());
    }

    @Test
    void systemdIsPreferredWhenItDelegatesTheControllers() {
        assertEquals(new Choice.Systemd("unix:path=/run/user/1000/bus"),
                Diagnosis.decide(CgroupManager.AUTO, MEMORY_PIDS, unified(SESSION, USER_SLICE, BUS)));
    }

    @Test
    void systemdWithUnknownDelegationIsTriedAndCheckedAfterPlacement() {
        BusStatus unknown = new BusStatus.Available("unix:path=/b", Optional.empty());
        assertEquals(new Choice.Systemd("unix:path=/b"), Diagnosis.decide(CgroupManager.SYSTEMD, CPUS, unified(SESSION, USER_SLICE, unknown)));
    }

    @Test
    void controllerNotDelegatedBySystemd() {
        Choice.Refused r = refused(Diagnosis.decide(CgroupManager.SYSTEMD, CPUS, unified(SESSION, USER_SLICE, BUS)));
        assertEquals("cannot apply --cpus: the systemd user manager does not delegate the cpu controller to your units (it has: memory pids)",
                r.message());
        assertEquals(Diagnosis.DELEGATE_HINT, r.hint());
    }

    @Test
    void noSessionWithSystemdManager() {
        Choice.Refused r = refused(Diagnosis.decide(CgroupManager.SYSTEMD, MEMORY_PIDS, unified(SESSION, USER_SLICE, NO_SESSION)));
        assertEquals("cannot apply --memory, --pids-limit: there is no user session", r.message());
        assertTrue(r.hint().contains("loginctl enable-linger $USER"));
    }

    @Test
    void noSessionAndNoDelegatedCgroupNamesBoth() {
        Choice.Refused r = refused(Diagnosis.decide(CgroupManager.AUTO, MEMORY_PIDS, unified(SESSION, USER_SLICE, NO_SESSION)));
        assertEquals("cannot apply --memory, --pids-limit: there is no user session; and no delegated cgroup v2 subtree to create the"
                + " sandbox's cgroup in: jbox's cgroup " + OWN + " is not delegated to you (not writable); its parent " + PARENT
                + " is not delegated to you (not writable)", r.message());
        assertEquals(HostProbe.SESSION_HINT + "; or use --cgroup-manager=systemd, or start jbox in a leaf cgroup whose delegated parent"
                + " enables +memory +pids in cgroup.subtree_control", r.hint());
    }

    @Test
    void delegatedOwnCgroupHoldingJboxCannotEnableControllers() {
        DirFacts own = new DirFacts(OWN, Set.of("memory", "pids"), Set.of(), 1, false, true);
        Choice.Refused r = refused(Diagnosis.decide(CgroupManager.CGROUPFS, MEMORY_PIDS, unified(own, USER_SLICE, BusStatus.NOT_PROBED)));
        assertEquals("cannot apply --memory, --pids-limit: no delegated cgroup v2 subtree to create the sandbox's cgroup in: jbox's cgroup "
                + OWN + " holds 1 process, so it cannot enable the memory, pids controllers for a child (cgroup v2 allows no processes"
                + " in a cgroup that does); its parent " + PARENT + " is not delegated to you (not writable)", r.message());
    }

    @Test
    void delegatedOwnCgroupMissingAController() {
        DirFacts own = new DirFacts(OWN, Set.of("memory"), Set.of(), 1, false, true);
        Choice.Refused r = refused(Diagnosis.decide(CgroupManager.CGROUPFS, MEMORY_PIDS, unified(own, null, BusStatus.NOT_PROBED)));
        assertEquals("cannot apply --memory, --pids-limit: no delegated cgroup v2 subtree to create the sandbox's cgroup in: jbox's cgroup "
                + OWN + " does not offer the pids controller (cgroup.controllers: memory), and it has no parent", r.message());
    }

    @Test
    void jboxAloneInItsDelegatedCgroupTakesItBeforeTheParent() {
        DirFacts own = new DirFacts(OWN, Set.of("memory", "pids"), Set.of(), 1, true, true);
        DirFacts parent = new DirFacts(PARENT, Set.of("memory", "pids", "cpu"), Set.of("memory", "pids"), 0, false, true);
        assertEquals(new Choice.Cgroupfs(OWN, Set.of(Controller.MEMORY, Controller.PIDS), Optional.of(OWN + "/jbox-supervisor")),
                Diagnosis.decide(CgroupManager.CGROUPFS, MEMORY_PIDS, unified(own, parent, BusStatus.NOT_PROBED)));
    }

    @Test
    void siblingLeafInADelegatedParent() {
        DirFacts own = new DirFacts(OWN, Set.of("memory", "pids"), Set.of(), 1, false, true);
        DirFacts parent = new DirFacts(PARENT, Set.of("memory", "pids", "cpu"), Set.of("memory", "pids"), 0, false, true);
        assertEquals(new Choice.Cgroupfs(PARENT, Set.of()), Diagnosis.decide(CgroupManager.AUTO, MEMORY_PIDS, unified(own, parent, NO_SESSION)));
    }

    @Test
    void siblingLeafEnablesWhatTheParentOffersButHasNotEnabled() {
        DirFacts own = new DirFacts(OWN, Set.of("memory", "pids"), Set.of(), 1, false, true);
        DirFacts parent = new DirFacts(PARENT, Set.of("memory", "pids", "cpu"), Set.of("memory", "pids"), 0, false, true);
        assertEquals(new Choice.Cgroupfs(PARENT, Set.of(Controller.CPU)),
                Diagnosis.decide(CgroupManager.CGROUPFS, CPUS, unified(own, parent, BusStatus.NOT_PROBED)));
    }

    @Test
    void ownCgroupWithControllersAlreadyEnabledTakesTheLeaf() {
        DirFacts own = new DirFacts("/", Set.of("memory", "pids"), Set.of("memory", "pids"), 0, false, true);
        assertEquals(new Choice.Cgroupfs("/", Set.of()), Diagnosis.decide(CgroupManager.CGROUPFS, MEMORY_PIDS, unified(own, null, BusStatus.NOT_PROBED)));
    }

    @Test
    void systemdIsNotUsedWithCgroupfsManager() {
        Choice.Refused r = refused(Diagnosis.decide(CgroupManager.CGROUPFS, MEMORY_PIDS, unified(SESSION, USER_SLICE, BUS)));
        assertTrue(r.message().startsWith("cannot apply --memory, --pids-limit: no delegated cgroup v2 subtree"), r.message());
    }

    @Test
    void disabledManagerRefusesLimits() {
        Choice.Refused r = refused(Diagnosis.decide(CgroupManager.DISABLED, CPUS, unified(SESSION, USER_SLICE, BUS)));
        assertEquals("cannot apply --cpus: --cgroup-manager=disabled turns cgroup handling off", r.message());
    }

    @Test
    void processInNoV2Group() {
        Choice.Refused r = refused(Diagnosis.decide(CgroupManager.AUTO, CPUS, new HostFacts(FakeHost.UNIFIED_MOUNTINFO, "", null, null, BUS)));
        assertEquals("cannot apply --cpus: jbox's process is in no cgroup v2 group (/proc/self/cgroup has no 0:: line)", r.message());
    }
}
