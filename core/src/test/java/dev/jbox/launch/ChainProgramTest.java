package dev.jbox.launch;

import dev.jbox.linux.CloneFlags;
import dev.jbox.linux.MountFlags;
import dev.jbox.linux.Landlock;
import dev.jbox.linux.Sys;
import dev.jbox.plan.ExecPlan;
import dev.jbox.plan.IdMapping;
import dev.jbox.plan.LaunchPlan;
import dev.jbox.plan.Step;
import dev.jbox.spec.UserNamespaceMode;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/** The chain as a syscall trace: protocol order, fd moves, slots, exec gate. */
class ChainProgramTest {
    static final IdMapping IDS = new IdMapping(UserNamespaceMode.SINGLE, 1000, 1000, 0, 0);
    static final ExecPlan EXEC = new ExecPlan(List.of("/usr/bin/id", "/bin/id"), List.of("id"), List.of("PATH=/usr/bin:/bin"));

    static ChainProgram lower(List<Step> steps, long caught) {
        return lower(steps, caught, false);
    }

    static ChainProgram lower(List<Step> steps, long caught, boolean childWritesMaps) {
        return ChainProgram.lower(new LaunchPlan(0, IDS, steps, EXEC), new ChildFds(40, 43, 0, 41, 2), caught, childWritesMaps);
    }

    static List<Sys> trace(ChainProgram p) {
        return p.calls().stream().map(Call::sys).toList();
    }

    /** One step of each kind {@link Step} permits. */
    static List<Step> oneStepOfEachKind() {
        return List.of(new Step.Unshare(CloneFlags.CLONE_NEWNS), new Step.MakeMountsPrivate(),
                new Step.Mount("tmpfs", "tmpfs", "/t", "tmpfs", 0, ""), new Step.SetMountAttributes("/t", 1, false),
                new Step.HideSocket("/run/s", "/newroot/run/s"),
                new Step.MakeDirectory("/d", 0755), new Step.MakeFile("/f"), new Step.MakeSymlink("a", "/l"),
                new Step.ChangeDirectory("/"), new Step.PivotRoot("/n", "/o"), new Step.Detach("/o"), new Step.SetHostname("h"),
                new Step.BringUpLoopback(), new Step.NewSession(), new Step.OpenTerminal(true), new Step.SetControllingTerminal(),
                new Step.JoinNamespaces(42, CloneFlags.CLONE_NEWNS), new Step.DieWithParent(9),
                new Step.DropBoundingCapabilities(1), new Step.SetIds(0, 0), new Step.SetCapabilities(0, 0, 0),
                new Step.NoNewPrivileges(), new Step.RestrictLandlock(1), new Step.InstallSeccomp(new byte[8], 1, 0, "p"));
    }

    /** lowerStep is an if-else chain (no pattern switch on the launch path): this is its exhaustiveness check. */
    @Test
    void everyKindOfStepIsLowered() {
        List<Step> oneOfEach = oneStepOfEachKind();
        assertEquals(Set.of(Step.class.getPermittedSubclasses()), oneOfEach.stream().map(Object::getClass).collect(Collectors.toSet()),
                "a new kind of step: add it here and to ChainProgram.lowerStep");
        List<Call> calls = lower(oneOfEach, 0).calls();
        for (int i = 0; i < oneOfEach.size(); i++) {
            int step = i;
            assertTrue(calls.stream().anyMatch(c -> c.step() == step), "no system call for " + oneOfEach.get(i));
        }
    }

    @Test
    void aHostSocketIsHiddenByBindingTheHostsDevNullOverIt() {
        Call hide = lower(List.of(new Step.HideSocket("/home/u/agent.sock", "/newroot/home/u/agent.sock")), 0).calls().stream()
                .filter(c -> c.step() == 0).findFirst().orElseThrow();
        assertEquals(Sys.MOUNT, hide.sys());
        assertEquals(List.of(Arg.str("/oldroot/dev/null"), Arg.str("/newroot/home/u/agent.sock"), Arg.num(0), Arg.num(MountFlags.MS_BIND), Arg.num(0)),
                hide.args());
    }

    @Test
    void protocolOrder() {
        ChainProgram p = lower(List.of(new Step.SetHostname("h")), 0);
        assertEquals(List.of(Sys.WRITE,                                     // hello
                        Sys.DUP3, Sys.DUP3, Sys.DUP3, Sys.DUP3, Sys.DUP3,  // above every source
                        Sys.DUP3, Sys.DUP3, Sys.DUP3, Sys.DUP3, Sys.DUP3,  // down to 0-4
                        Sys.CLOSE_RANGE,                                   // the rest
                        Sys.READ,                                          // go: id maps written
                        Sys.SETHOSTNAME,                                   // the plan
                        Sys.WRITE, Sys.READ,                               // checkpoint, release
                        Sys.CLOSE_RANGE,                                   // CLOEXEC before exec
                        Sys.EXECVE, Sys.EXECVE, Sys.EXIT_GROUP),
                trace(p));
    }

    @Test
    void aChildWritingItsOwnMapsSkipsTheHelloAndTheWait() {
        ChainProgram p = lower(List.of(new Step.SetHostname("h")), 0, true);
        assertEquals(List.of(Sys.DUP3, Sys.DUP3, Sys.DUP3, Sys.DUP3, Sys.DUP3,
                        Sys.DUP3, Sys.DUP3, Sys.DUP3, Sys.DUP3, Sys.DUP3,
                        Sys.CLOSE_RANGE,
                        Sys.OPENAT, Sys.WRITE, Sys.CLOSE,                  // setgroups
                        Sys.OPENAT, Sys.WRITE, Sys.CLOSE,                  // uid_map
                        Sys.OPENAT, Sys.WRITE, Sys.CLOSE,                  // gid_map
                        Sys.SETHOSTNAME,
                        Sys.WRITE, Sys.READ,                               // checkpoint, release
                        Sys.CLOSE_RANGE,
                        Sys.EXECVE, Sys.EXECVE, Sys.EXIT_GROUP),
                trace(p));
        List<Call> writes = p.calls().stream().filter(c -> c.step() == Phase.WRITE_MAPS.index && c.sys() == Sys.WRITE).toList();
        assertEquals(List.of("deny", "0 1000 1\n", "0 1000 1\n"), writes.stream().map(c -> new String(((Arg.Bytes) c.args().get(1)).value())).toList());
        for (Call w : writes) assertEquals(Arg.num(ChildFds.FIRST_FREE), w.args().getFirst(), "the fd openat returned: the first free one");
        List<Call> opens = p.calls().stream().filter(c -> c.sys() == Sys.OPENAT).toList();
        assertEquals(List.of(Arg.str("/proc/self/setgroups"), Arg.str("/proc/self/uid_map"), Arg.str("/proc/self/gid_map")),
                opens.stream().map(c -> c.args().get(1)).toList(), "setgroups must be denied before gid_map is written");
        assertTrue(p.childWritesMaps());
    }

    @Test
    void onlyASingleMappingIsWrittenByTheChild() {
        IdMapping auto = new IdMapping(UserNamespaceMode.AUTO, 1000, 1000, 0, 0);
        assertThrows(IllegalArgumentException.class,
                () -> ChainProgram.lower(new LaunchPlan(0, auto, List.of(), EXEC), new ChildFds(40, 43, 0, 41, 2), 0, true));
    }

    @Test
    void seccompIsInstalledWithTheProfilesFlags() {
        int log = 2;  // SECCOMP_FILTER_FLAG_LOG
        Call install = lower(List.of(new Step.InstallSeccomp(new byte[8], 1, log, "p.json")), 0).calls().stream()
                .filter(c -> c.sys() == Sys.SECCOMP).findFirst().orElseThrow();
        assertEquals(List.of(Arg.num(1), Arg.num(log)), install.args().subList(0, 2), "seccomp(SECCOMP_SET_MODE_FILTER, flags, prog)");
    }

    @Test
    void fdsMoveThroughNumbersAboveEverySource() {
        List<Call> dups = lower(List.of(), 0).calls().stream().filter(c -> c.sys() == Sys.DUP3).toList();
        int high = 44;  // 1 + max(40, 43, 0, 41, 2)
        int[] sources = {0, 41, 2, 40, 43}, targets = {0, 1, 2, 3, 4};
        for (int i = 0; i < 5; i++) {
            assertEquals(List.of(Arg.num(sources[i]), Arg.num(high + i), Arg.num(0)), dups.get(i).args());
            assertEquals(List.of(Arg.num(high + i), Arg.num(targets[i]), Arg.num(0)), dups.get(5 + i).args());
        }
    }

    @Test
    void aHelperOpensEveryNamespaceFileThenJoinsUserFirst() {
        int flags = dev.jbox.linux.CloneFlags.CLONE_NEWNS | dev.jbox.linux.CloneFlags.CLONE_NEWUSER;
        List<Call> calls = lower(List.of(new Step.JoinNamespaces(42, flags)), 0).calls().stream().filter(c -> c.step() == 0).toList();
        assertEquals(List.of(Sys.OPENAT, Sys.OPENAT, Sys.SETNS, Sys.SETNS, Sys.CLOSE_RANGE), calls.stream().map(Call::sys).toList());
        assertEquals(Arg.str("/proc/42/ns/user"), calls.get(0).args().get(1));
        assertEquals(Arg.str("/proc/42/ns/mnt"), calls.get(1).args().get(1));
        assertEquals(List.of(Arg.num(ChildFds.FIRST_FREE), Arg.num(dev.jbox.linux.CloneFlags.CLONE_NEWUSER)), calls.get(2).args());
        assertEquals(List.of(Arg.num(ChildFds.FIRST_FREE + 1), Arg.num(dev.jbox.linux.CloneFlags.CLONE_NEWNS)), calls.get(3).args());
        assertEquals("joining the user, mount namespaces of process 42", new Step.JoinNamespaces(42, flags).describe());
    }

    @Test
    void loopbackUsesTheFirstFreeFd() {
        List<Call> calls = lower(List.of(new Step.BringUpLoopback()), 0).calls();
        Call ioctl = calls.stream().filter(c -> c.sys() == Sys.IOCTL).findFirst().orElseThrow();
        assertEquals(Arg.num(ChildFds.FIRST_FREE), ioctl.args().getFirst());
        byte[] ifreq = ((Arg.Bytes) ioctl.args().get(2)).value();
        assertEquals('l', ifreq[0]);
        assertEquals('o', ifreq[1]);
        assertEquals(0x49, ByteBuffer.wrap(ifreq).order(ByteOrder.LITTLE_ENDIAN).getShort(16));
    }

    @Test
    void landlockRestrictsWithARulesetOfOnlyScopesAtTheFirstFreeFdThenClosesIt() {
        ChainProgram p = lower(List.of(new Step.RestrictLandlock(Landlock.SCOPE_ABSTRACT_UNIX_SOCKET)), 0);
        List<Call> calls = p.calls().stream().filter(c -> c.step() == 0).toList();
        assertEquals(List.of(Sys.LANDLOCK_CREATE_RULESET, Sys.LANDLOCK_RESTRICT_SELF, Sys.CLOSE), calls.stream().map(Call::sys).toList());
        byte[] attr = ((Arg.Bytes) calls.get(0).args().get(0)).value();
        // struct landlock_ruleset_attr: handled_access_fs = 0, handled_access_net = 0, scoped = 1.
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0}, attr);
        assertEquals(List.of(Arg.num(24), Arg.num(0)), calls.get(0).args().subList(1, 3), "its size, no flags");
        assertEquals(List.of(Arg.num(ChildFds.FIRST_FREE), Arg.num(0)), calls.get(1).args());
        assertEquals(List.of(Arg.num(ChildFds.FIRST_FREE)), calls.get(2).args());
    }

    @Test
    void withATerminalOpenTheRulesetTakesTheFdAboveItsMaster() {
        ChainProgram p = lower(List.of(new Step.OpenTerminal(true), new Step.RestrictLandlock(1)), 0);
        List<Call> landlock = p.calls().stream().filter(c -> c.step() == 1).toList();
        assertEquals(Arg.num(ChildFds.TERMINAL + 1), landlock.get(1).args().getFirst());
        assertEquals(Arg.num(ChildFds.TERMINAL + 1), landlock.get(2).args().getFirst());
    }

    @Test
    void execGateHoldsEveryCandidateBackToBack() {
        assertEquals("/usr/bin/id\0/bin/id\0", new String(ChainProgram.gateBytes(EXEC)));
        assertEquals(12, ChainProgram.gateOffset(EXEC, 1));
        List<Call> execs = lower(List.of(), 0).calls().stream().filter(c -> c.sys() == Sys.EXECVE).toList();
        assertEquals(new Arg.GatePath(0), execs.get(0).args().getFirst());
        assertEquals(new Arg.GatePath(1), execs.get(1).args().getFirst());
        Call gateRead = lower(List.of(), 0).calls().stream().filter(c -> c.sys() == Sys.READ && c.args().get(1) instanceof Arg.Gate).findFirst().orElseThrow();
        assertEquals(Arg.num(ChainProgram.gateSize(EXEC)), gateRead.args().get(2));
    }

    @Test
    void caughtSignalsAreResetBeforeExec() {
        ChainProgram p = lower(List.of(), (1L << 1) | (1L << 14));  // SIGINT (2), SIGTERM (15)
        List<Call> resets = p.calls().stream().filter(c -> c.sys() == Sys.RT_SIGACTION).toList();
        assertEquals(List.of(Arg.num(2), Arg.num(15)), resets.stream().map(c -> c.args().getFirst()).toList());
        int firstExec = trace(p).indexOf(Sys.EXECVE);
        assertTrue(p.calls().indexOf(resets.getLast()) < firstExec);
    }

    @Test
    void idSwitchRestoresTheSharedMmsDumpability() {
        List<Sys> t = trace(lower(List.of(new Step.SetIds(5, 6)), 0));
        int uid = t.indexOf(Sys.SETRESUID);
        assertEquals(Sys.SETRESGID, t.get(uid - 1));
        assertEquals(Sys.PRCTL, t.get(uid + 1));
    }

    @Test
    void capabilityStructsAreLittleEndianV3() {
        byte[] data = ChainProgram.capData(0x1_0000_0002L, 3, 0);
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(2, b.getInt(0));
        assertEquals(3, b.getInt(4));
        assertEquals(1, b.getInt(12));
        assertEquals(0x20080522, ByteBuffer.wrap(ChainProgram.capHeader()).order(ByteOrder.LITTLE_ENDIAN).getInt(0));
    }

    @Test
    void everyCallIsDescribedForErrors() {
        ChainProgram p = lower(List.of(new Step.SetHostname("h")), 0);
        assertEquals("announcing the child", p.describe(p.calls().getFirst()));
        Call hostname = p.calls().stream().filter(c -> c.sys() == Sys.SETHOSTNAME).findFirst().orElseThrow();
        assertEquals("setting hostname h", p.describe(hostname));
    }
}
