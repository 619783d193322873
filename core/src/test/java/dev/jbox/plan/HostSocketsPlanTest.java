package dev.jbox.plan;

import dev.jbox.spec.SandboxSpec;
import dev.jbox.spi.PreparedRoot.ImageDefaults;
import dev.jbox.spi.PreparedRoot.RootMount;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.jbox.plan.PlanCompilerTest.spec;
import static dev.jbox.plan.PlanCompilerTest.steps;
import static org.junit.jupiter.api.Assertions.*;

/** The host's services stay outside: private /run, /var/run, /var/tmp and runtime dir, and every other host socket hidden. */
class HostSocketsPlanTest {
    /** A host root where /var/run leads to /run and /etc/resolv.conf into /run, as on a systemd host. */
    static final MountTargets SYSTEMD_HOST = new MountTargets() {
        final Map<String, String> links = Map.of("/var/run", "/run", "/etc/resolv.conf", "/run/systemd/resolve/stub-resolv.conf");

        @Override
        public String prepare(String target, boolean directory) {
            return resolve(target);
        }

        @Override
        public String resolve(String target) {
            for (var link : links.entrySet()) {
                if (target.equals(link.getKey()) || target.startsWith(link.getKey() + "/")) return link.getValue() + target.substring(link.getKey().length());
            }
            return target;
        }

        @Override
        public boolean exists(String path) {
            return !path.startsWith("/nonexistent");
        }
    };

    static LaunchPlan compile(SandboxSpec.Builder b, RootMount root, HostExposure exposure) {
        return PlanCompiler.compile(new PlanInputs(b.build(), PlanCompilerTest.HOST, root, ImageDefaults.NONE, List.of(),
                SYSTEMD_HOST, Hardening.NONE, exposure));
    }

    static LaunchPlan compile(SandboxSpec.Builder b, String... sockets) {
        return compile(b, new RootMount.HostRoot(), new HostExposure(List.of(sockets), socket -> true, "/run/user/1000"));
    }

    static List<String> hidden(LaunchPlan p) {
        return steps(p, Step.HideSocket.class).stream().map(Step.HideSocket::target).toList();
    }

    static Step.Mount mountOn(LaunchPlan p, String target) {
        return steps(p, Step.Mount.class).stream().filter(m -> m.target().equals(target)).findFirst()
                .orElseThrow(() -> new AssertionError("no mount on " + target + " in " + p.steps()));
    }

    @Test
    void theHostRootGetsItsOwnRunAndVarTmp() {
        LaunchPlan p = compile(spec());
        assertEquals("tmpfs", mountOn(p, "/newroot/run").fsType());
        assertEquals("mode=1777", mountOn(p, "/newroot/run/lock").data(), "lock files: /var/lock leads to /run/lock");
        assertEquals("mode=1777", mountOn(p, "/newroot/var/tmp").data());
        assertTrue(steps(p, Step.Mount.class).stream().noneMatch(m -> m.target().startsWith("/newroot/var/run")),
                "/var/run leads to /run, already the sandbox's own");
    }

    @Test
    void aVarRunOfItsOwnAndARuntimeDirOutsideRunAreHiddenToo() {
        MountTargets plain = MountTargets.AS_GIVEN;
        LaunchPlan p = PlanCompiler.compile(new PlanInputs(spec().build(), PlanCompilerTest.HOST, new RootMount.HostRoot(),
                ImageDefaults.NONE, List.of(), plain, Hardening.NONE, new HostExposure(List.of(), socket -> true, "/home/u/.run")));
        assertEquals("tmpfs", mountOn(p, "/newroot/var/run").fsType());
        assertEquals("mode=0700", mountOn(p, "/newroot/home/u/.run").data());
    }

    @Test
    void theHostsResolvConfStaysReadableWhenItLivesInRun() {
        LaunchPlan p = compile(spec());
        Step.Mount resolv = mountOn(p, "/newroot/run/systemd/resolve/stub-resolv.conf");
        assertEquals("/oldroot/run/systemd/resolve/stub-resolv.conf", resolv.source());
        assertTrue(steps(p, Step.MakeFile.class).stream().anyMatch(f -> f.path().equals("/newroot/run/systemd/resolve/stub-resolv.conf")));
        assertTrue(steps(p, Step.SetMountAttributes.class).stream().anyMatch(a -> a.path().equals(resolv.target())
                && (a.attributes() & dev.jbox.linux.MountFlags.MOUNT_ATTR_RDONLY) != 0), "read-only");
    }

    @Test
    void aDirectoryRootKeepsItsOwnRun() {
        LaunchPlan p = compile(spec(), new RootMount.Bind(Path.of("/srv/root")), HostExposure.NONE);
        assertTrue(steps(p, Step.Mount.class).stream().noneMatch(m -> m.target().equals("/newroot/run") || m.target().equals("/newroot/var/tmp")));
    }

    @Test
    void socketsInThePrivateTreesNeedNoHiding() {
        LaunchPlan p = compile(spec(), "/run/user/1000/bus", "/run/dbus/system_bus_socket", "/tmp/.X11-unix/X0", "/var/tmp/s", "/dev/log");
        assertEquals(List.of(), hidden(p));
    }

    @Test
    void everyOtherVisibleSocketIsHiddenWhereTheSandboxSeesIt() {
        LaunchPlan p = compile(spec(), "/home/u/.gnupg/S.gpg-agent", "/var/lib/sss/pipes/nss", "/home/u/my sock");
        assertEquals(List.of("/newroot/home/u/.gnupg/S.gpg-agent", "/newroot/var/lib/sss/pipes/nss", "/newroot/home/u/my sock"), hidden(p));
        Step.HideSocket h = steps(p, Step.HideSocket.class).getFirst();
        assertEquals("hiding host socket /home/u/.gnupg/S.gpg-agent at /home/u/.gnupg/S.gpg-agent", h.describe());
    }

    @Test
    void onlyTheSocketsThatShowAreCheckedAndOnlyReachableOnesHidden() {
        java.util.List<String> asked = new java.util.ArrayList<>();
        HostExposure exposure = new HostExposure(List.of("/run/user/1000/bus", "/home/u/open.sock", "/home/u/closed.sock", "/tmp/x"),
                socket -> asked.add(socket) && !socket.endsWith("closed.sock"), null);
        LaunchPlan p = compile(spec().bind(Path.of("/home/u"), "/h", true), new RootMount.HostRoot(), exposure);
        assertEquals(List.of("/newroot/home/u/open.sock", "/newroot/h/open.sock"), hidden(p));
        assertEquals(List.of("/home/u/open.sock", "/home/u/closed.sock"), asked, "once per socket, none in the sandbox's own trees");
    }

    @Test
    void aSocketInsideABoundTreeIsHiddenAtEveryPlaceItShows() {
        LaunchPlan p = compile(spec().bind(Path.of("/home/u/project"), "/src", false), "/home/u/project/db/pg.sock");
        assertEquals(List.of("/newroot/home/u/project/db/pg.sock", "/newroot/src/db/pg.sock"), hidden(p));
    }

    @Test
    void aSocketBoundByItsOwnPathIsTheUsersChoice() {
        LaunchPlan p = compile(spec().bind(Path.of("/run/user/1000/wayland-0"), "/run/user/1000/wayland-0", false)
                .bind(Path.of("/home/u/agent.sock"), "/agent.sock", false), "/run/user/1000/wayland-0", "/home/u/agent.sock");
        assertEquals(List.of("/newroot/home/u/agent.sock"), hidden(p), "still hidden where the host root shows it, not at /agent.sock");
        assertEquals("/oldroot/run/user/1000/wayland-0", mountOn(p, "/newroot/run/user/1000/wayland-0").source());
    }

    @Test
    void aMountOverTheSocketsPlaceLeavesNothingToHide() {
        LaunchPlan p = compile(spec().tmpfs("/home/u"), "/home/u/.gnupg/S.gpg-agent");
        assertEquals(List.of(), hidden(p));
    }

    @Test
    void aDirectoryRootHidesTheSocketsUnderIt() {
        LaunchPlan p = compile(spec(), new RootMount.Bind(Path.of("/srv/root")),
                new HostExposure(List.of("/srv/root/run/app.sock", "/home/u/s"), socket -> true, null));
        assertEquals(List.of("/newroot/run/app.sock"), hidden(p));
    }

    @Test
    void hidingComesAfterEveryMountAndBeforeLeavingTheStagingRoot() {
        LaunchPlan p = compile(spec().bind(Path.of("/home/u/project"), "/src", false), "/home/u/project/s");
        List<Step> s = p.steps();
        int lastMount = -1, firstHide = s.size();
        for (int i = 0; i < s.size(); i++) {
            if (s.get(i) instanceof Step.Mount m && m.target().startsWith("/newroot")) lastMount = i;
            if (s.get(i) instanceof Step.HideSocket) firstHide = Math.min(firstHide, i);
        }
        assertTrue(lastMount < firstHide, s.toString());
        assertTrue(firstHide < s.indexOf(new Step.PivotRoot(".", ".")));
    }

    @Test
    void theWorkdirFallsBackToRootWhenItIsInAPrivateTree() {
        assertEquals("/", PlanCompiler.hostWorkdir("/var/tmp/build", spec().build(), List.of("/var/tmp")));
        assertEquals("/home/u", PlanCompiler.hostWorkdir("/home/u", spec().build(), List.of("/var/tmp")));
    }
}
