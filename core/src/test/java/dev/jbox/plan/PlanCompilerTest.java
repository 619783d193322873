package dev.jbox.plan;

import dev.jbox.linux.CloneFlags;
import dev.jbox.linux.Landlock;
import dev.jbox.linux.MountFlags;
import dev.jbox.spec.Identity;
import dev.jbox.spec.NetworkMode;
import dev.jbox.spec.NetworkSpec;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.spec.SpecException;
import dev.jbox.spec.UserNamespaceMode;
import dev.jbox.spi.PreparedRoot.ImageDefaults;
import dev.jbox.spi.PreparedRoot.RootMount;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Every option's effect on the step list, without privileges. */
class PlanCompilerTest {
    static final HostFacts HOST = new HostFacts(1000, 1000, "/home/u/project", 0);

    static LaunchPlan compile(SandboxSpec.Builder b) {
        return compile(b, new RootMount.HostRoot(), ImageDefaults.NONE);
    }

    static LaunchPlan compile(SandboxSpec.Builder b, RootMount root, ImageDefaults image) {
        return PlanCompiler.compile(new PlanInputs(b.build(), HOST, root, image, List.of(), MountTargets.AS_GIVEN, Hardening.NONE));
    }

    static SandboxSpec.Builder spec() {
        return SandboxSpec.builder().command("id");
    }

    static <T extends Step> List<T> steps(LaunchPlan p, Class<T> type) {
        return p.steps().stream().filter(type::isInstance).map(type::cast).toList();
    }

    static List<String> mountTargets(LaunchPlan p) {
        return steps(p, Step.Mount.class).stream().map(Step.Mount::target).toList();
    }

    @Test
    void defaultIsHostRootReadOnlyWithAllNamespacesAndPrivateMounts() {
        LaunchPlan p = compile(spec());
        assertEquals(CloneFlags.CLONE_NEWUSER | CloneFlags.CLONE_NEWPID, p.cloneFlags());
        Step.Unshare u = steps(p, Step.Unshare.class).getFirst();
        assertEquals(CloneFlags.CLONE_NEWNS | CloneFlags.CLONE_NEWUTS | CloneFlags.CLONE_NEWIPC | CloneFlags.CLONE_NEWNET | CloneFlags.CLONE_NEWCGROUP, u.flags());
        assertInstanceOf(Step.MakeMountsPrivate.class, p.steps().get(1));
        Step.Mount root = steps(p, Step.Mount.class).get(1);
        assertEquals("/oldroot", root.source());
        assertEquals("/newroot", root.target());
        assertEquals(MountFlags.MS_BIND | MountFlags.MS_REC, root.flags());
        Step.SetMountAttributes ro = steps(p, Step.SetMountAttributes.class).getFirst();
        assertEquals("/newroot", ro.path());
        assertTrue(ro.recursive());
        assertNotEquals(0, ro.attributes() & MountFlags.MOUNT_ATTR_RDONLY);
        assertTrue(mountTargets(p).containsAll(List.of("/newroot/proc", "/newroot/dev", "/newroot/dev/pts", "/newroot/dev/shm", "/newroot/sys", "/newroot/tmp")));
        assertEquals("/home/u/project", steps(p, Step.ChangeDirectory.class).getLast().path());
        assertEquals("jbox", steps(p, Step.SetHostname.class).getFirst().hostname());
        assertEquals(1, steps(p, Step.BringUpLoopback.class).size());
        assertEquals(1, steps(p, Step.NewSession.class).size());
        assertEquals(1, steps(p, Step.NoNewPrivileges.class).size());
    }

    @Test
    void stagingPivotsTwiceAndDetachesTheHostWithTheStagingRoot() {
        LaunchPlan p = compile(spec());
        List<Step.PivotRoot> pivots = steps(p, Step.PivotRoot.class);
        assertEquals(List.of(new Step.PivotRoot("/tmp", "/tmp/oldroot"), new Step.PivotRoot(".", ".")), pivots);
        // The host is mounted on the staging tmpfs, which pivot_root(".", ".") stacks on the new root: detaching "." takes both.
        assertEquals(List.of(new Step.Detach(".")), steps(p, Step.Detach.class));
        int intoNewRoot = p.steps().indexOf(new Step.PivotRoot(".", "."));
        assertEquals(new Step.ChangeDirectory(Staging.NEW_ROOT), p.steps().get(intoNewRoot - 1));
        assertEquals(new Step.Detach("."), p.steps().get(intoNewRoot + 1), "nothing runs between the pivot and the detach");
        assertTrue(p.steps().subList(intoNewRoot, p.steps().size()).stream().noneMatch(s -> s instanceof Step.Mount),
                "no mount after the host is detached");
    }

    @Test
    void directoryRootIsWritableUnlessReadOnly() {
        RootMount dir = new RootMount.Bind(Path.of("/srv/root"));
        LaunchPlan rw = compile(spec(), dir, ImageDefaults.NONE);
        assertEquals("/oldroot/srv/root", steps(rw, Step.Mount.class).get(1).source());
        assertTrue(steps(rw, Step.SetMountAttributes.class).stream().noneMatch(a -> a.path().equals("/newroot")));
        assertEquals("/", steps(rw, Step.ChangeDirectory.class).getLast().path());
        LaunchPlan ro = compile(spec().readOnly(true), dir, ImageDefaults.NONE);
        assertTrue(steps(ro, Step.SetMountAttributes.class).stream().anyMatch(a -> a.path().equals("/newroot") && (a.attributes() & MountFlags.MOUNT_ATTR_RDONLY) != 0));
    }

    @Test
    void hostNetworkKeepsTheNetnsAndBindsTheHostSys() {
        LaunchPlan p = compile(spec().network(NetworkMode.HOST));
        assertEquals(0, steps(p, Step.Unshare.class).getFirst().flags() & CloneFlags.CLONE_NEWNET);
        assertTrue(steps(p, Step.BringUpLoopback.class).isEmpty());
        Step.Mount sys = steps(p, Step.Mount.class).stream().filter(m -> m.target().equals("/newroot/sys")).findFirst().orElseThrow();
        assertEquals("/oldroot/sys", sys.source());
    }

    @Test
    void bindsAreNosuidNodevAndReadOnlyWhenAsked() {
        LaunchPlan p = compile(spec().bind(Path.of("/home/u/src"), "/src", true).bind(Path.of("/home/u/out"), "/out", false));
        Step.Mount src = steps(p, Step.Mount.class).stream().filter(m -> m.target().equals("/newroot/src")).findFirst().orElseThrow();
        assertEquals("/oldroot/home/u/src", src.source());
        Step.SetMountAttributes srcAttr = steps(p, Step.SetMountAttributes.class).stream().filter(a -> a.path().equals("/newroot/src")).findFirst().orElseThrow();
        assertEquals(MountFlags.MOUNT_ATTR_RDONLY | MountFlags.MOUNT_ATTR_NOSUID | MountFlags.MOUNT_ATTR_NODEV, srcAttr.attributes());
        Step.SetMountAttributes outAttr = steps(p, Step.SetMountAttributes.class).stream().filter(a -> a.path().equals("/newroot/out")).findFirst().orElseThrow();
        assertEquals(MountFlags.MOUNT_ATTR_NOSUID | MountFlags.MOUNT_ATTR_NODEV, outAttr.attributes());
    }

    @Test
    void mountPointsUnderTheSandboxTmpfsAreCreatedByTheChain() {
        LaunchPlan p = compile(spec().tmpfs("/scratch").bind(Path.of("/nonexistent-file"), "/tmp/a/b", false).tmpfs("/scratch/x"));
        List<String> made = steps(p, Step.MakeDirectory.class).stream().map(Step.MakeDirectory::path).toList();
        assertTrue(made.containsAll(List.of("/newroot/tmp/a", "/newroot/scratch/x")), made.toString());
        assertEquals("/newroot/tmp/a/b", steps(p, Step.MakeFile.class).getLast().path(), "a file source gets a file mount point");
    }

    @Test
    void hostCwdHiddenBySandboxMountsFallsBackToRoot() {
        SandboxSpec s = spec().build();
        assertEquals("/", PlanCompiler.hostWorkdir("/tmp/work", s, List.of()));
        assertEquals("/", PlanCompiler.hostWorkdir("/proc", s, List.of()));
        assertEquals("/home/u", PlanCompiler.hostWorkdir("/home/u", s, List.of()));
        assertEquals("/tmpfoo", PlanCompiler.hostWorkdir("/tmpfoo", s, List.of()));
        assertEquals("/", PlanCompiler.hostWorkdir("/data/x", spec().tmpfs("/data").build(), List.of()));
    }

    @Test
    void hostnameFromOptionThenNameThenDefault() {
        assertEquals("h", steps(compile(spec().hostname("h").name("n")), Step.SetHostname.class).getFirst().hostname());
        assertEquals("n", steps(compile(spec().name("n")), Step.SetHostname.class).getFirst().hostname());
    }

    @Test
    void singleMappingNeedsNoIdSwitchButAutoDoes() {
        LaunchPlan single = compile(spec().identity(new Identity(UserNamespaceMode.SINGLE, 1000, 100)));
        assertTrue(steps(single, Step.SetIds.class).isEmpty());
        assertEquals("1000 1000 1\n", single.ids().singleUidMap());
        assertEquals("100 1000 1\n", single.ids().singleGidMap());
        LaunchPlan auto = compile(spec().identity(new Identity(UserNamespaceMode.AUTO, 1000, 100)).dieWithParent(true));
        assertEquals(List.of(new Step.SetIds(1000, 100)), steps(auto, Step.SetIds.class));
        assertTrue(auto.steps().indexOf(steps(auto, Step.DieWithParent.class).getFirst()) > auto.steps().indexOf(new Step.SetIds(1000, 100)),
                "the parent-death signal is set after the id switch, which clears it");
    }

    @Test
    void hardeningStepsComeLastInOrder() {
        Hardening h = new Hardening(1L << 21, 0, 0, 0, new byte[8], 1, 0, "test");
        LaunchPlan p = PlanCompiler.compile(new PlanInputs(spec().build(), HOST, new RootMount.HostRoot(), ImageDefaults.NONE, List.of(), MountTargets.AS_GIVEN, h));
        List<Class<?>> tail = p.steps().subList(p.steps().size() - 4, p.steps().size()).stream().<Class<?>>map(Object::getClass).toList();
        assertEquals(List.of(Step.DropBoundingCapabilities.class, Step.SetCapabilities.class, Step.NoNewPrivileges.class, Step.InstallSeccomp.class), tail);
    }

    /** A plan on a kernel with this Landlock ABI version. */
    static LaunchPlan compileOnLandlock(SandboxSpec.Builder b, int landlockAbi, Hardening hardening) {
        HostFacts host = new HostFacts(HOST.uid(), HOST.gid(), HOST.cwd(), landlockAbi);
        return PlanCompiler.compile(new PlanInputs(b.build(), host, new RootMount.HostRoot(), ImageDefaults.NONE, List.of(), MountTargets.AS_GIVEN, hardening));
    }

    @Test
    void hostNetworkScopesAbstractSocketsWithLandlockAfterNoNewPrivsAndBeforeSeccomp() {
        Hardening h = new Hardening(0, -1, -1, -1, new byte[8], 1, 0, "test");
        LaunchPlan p = compileOnLandlock(spec().network(NetworkMode.HOST).dieWithParent(true), 7, h);
        List<Class<?>> tail = p.steps().subList(p.steps().size() - 4, p.steps().size()).stream().<Class<?>>map(Object::getClass).toList();
        assertEquals(List.of(Step.NoNewPrivileges.class, Step.DieWithParent.class, Step.RestrictLandlock.class, Step.InstallSeccomp.class), tail);
        assertEquals(List.of(new Step.RestrictLandlock(Landlock.SCOPE_ABSTRACT_UNIX_SOCKET)), steps(p, Step.RestrictLandlock.class));
        assertEquals(1, steps(compileOnLandlock(spec().network(NetworkMode.HOST), Landlock.SCOPING_ABI, Hardening.NONE), Step.RestrictLandlock.class).size(),
                "ABI 6 is the first that scopes");
    }

    @Test
    void noLandlockStepWithoutScopingInTheKernelInAnOwnNetnsOrWhenAllowed() {
        assertEquals(List.of(), steps(compileOnLandlock(spec().network(NetworkMode.HOST), 5, Hardening.NONE), Step.RestrictLandlock.class), "ABI 5");
        assertEquals(List.of(), steps(compileOnLandlock(spec().network(NetworkMode.HOST), 0, Hardening.NONE), Step.RestrictLandlock.class), "no Landlock");
        for (NetworkMode own : List.of(NetworkMode.NONE, NetworkMode.SLIRP, NetworkMode.PASTA, NetworkMode.AUTO)) {
            assertEquals(List.of(), steps(compileOnLandlock(spec().network(own), 7, Hardening.NONE), Step.RestrictLandlock.class), own.label());
        }
        SandboxSpec.Builder allowed = spec().network(new NetworkSpec(NetworkMode.HOST, List.of(), false, true));
        assertEquals(List.of(), steps(compileOnLandlock(allowed, 7, Hardening.NONE), Step.RestrictLandlock.class), "--allow-host-abstract-sockets");
    }

    @Test
    void dryRunShowsTheLandlockStep() {
        String text = compileOnLandlock(spec().network(NetworkMode.HOST), 7, Hardening.NONE).render();
        assertTrue(text.contains(". restricting with Landlock: abstract unix sockets scoped\n"), text);
    }

    @Test
    void environmentHasDocumentedDefaultsAndUserValuesWin() {
        LaunchPlan p = compile(spec().env("PATH", "/opt/bin").env("A", "1"));
        assertEquals(List.of("PATH=/opt/bin", "HOME=/root", "HOSTNAME=jbox", "container=jbox", "A=1"), p.exec().env());
        assertEquals(List.of("/opt/bin/id"), p.exec().candidates());
    }

    @Test
    void commandIsSearchedInPathUnlessItHasASlash() {
        assertEquals(List.of("/usr/local/sbin/ls", "/usr/local/bin/ls", "/usr/sbin/ls", "/usr/bin/ls", "/sbin/ls", "/bin/ls"),
                PlanCompiler.candidates("ls", PlanCompiler.DEFAULT_PATH));
        assertEquals(List.of("./x"), PlanCompiler.candidates("./x", "/bin"));
        assertEquals(List.of("./ls", "/bin/ls"), PlanCompiler.candidates("ls", ":/bin"));
    }

    @Test
    void imageDefaultsApplyUnlessOverridden() {
        ImageDefaults image = new ImageDefaults(List.of("/entry"), List.of("serve"), Map.of("A", "image", "B", "image"), "/app", "7:8");
        RootMount overlay = new RootMount.Overlay(Path.of("/store"), List.of("l/a", "l/b"), Path.of("/store/up"), Path.of("/store/work"));
        LaunchPlan p = compile(SandboxSpec.builder().image("x").env("B", "user"), overlay, image);
        assertEquals(List.of("/entry", "serve"), p.exec().argv());
        assertTrue(p.exec().env().containsAll(List.of("A=image", "B=user")));
        assertEquals("/app", steps(p, Step.ChangeDirectory.class).getLast().path());
        assertEquals(7, p.ids().insideUid());
        Step.Mount root = steps(p, Step.Mount.class).get(1);
        assertEquals("overlay", root.fsType());
        assertEquals("lowerdir=l/a:l/b,upperdir=/oldroot/store/up,workdir=/oldroot/store/work,userxattr", root.data());
        LaunchPlan overridden = compile(SandboxSpec.builder().image("x").command("sh"), overlay, image);
        assertEquals(List.of("/entry", "sh"), overridden.exec().argv());
    }

    @Test
    void aFuseOverlayRootIsClonedWithAMountNamespaceForItsHelperAndBoundFromIt() {
        RootMount.Overlay layers = new RootMount.Overlay(Path.of("/s"), List.of("l/a"), Path.of("/s/u"), Path.of("/s/w"));
        List<String> helper = List.of("/usr/bin/fuse-overlayfs", "-f", "-o", "lowerdir=/s/l/a,upperdir=/s/u,workdir=/s/w", "/s/m");
        LaunchPlan p = compile(SandboxSpec.builder().image("x").command("sh").readOnly(true),
                new RootMount.FuseOverlay(layers, Path.of("/s/m"), helper), ImageDefaults.NONE);
        assertEquals(CloneFlags.CLONE_NEWUSER | CloneFlags.CLONE_NEWPID | CloneFlags.CLONE_NEWNS, p.cloneFlags(), "one for the helper to join");
        assertNotEquals(0, steps(p, Step.Unshare.class).getFirst().flags() & CloneFlags.CLONE_NEWNS,
                "and the sandbox's own below it: its pivot_root must not move fuse-overlayfs's root");
        Step.Mount root = steps(p, Step.Mount.class).get(1);
        assertEquals("/oldroot/s/m", root.source());
        assertEquals("/newroot", root.target());
        assertEquals(MountFlags.MS_BIND | MountFlags.MS_REC, root.flags());
        assertTrue(steps(p, Step.SetMountAttributes.class).contains(new Step.SetMountAttributes("/newroot", MountFlags.MOUNT_ATTR_RDONLY, true)));
        String text = p.render();
        assertTrue(text.startsWith("clone: user, pid, mount namespaces"), text);
        assertTrue(text.contains("mounting root filesystem /s/m (mounted there by /usr/bin/fuse-overlayfs -f -o lowerdir=/s/l/a,upperdir=/s/u,workdir=/s/w /s/m) on /"), text);
        assertEquals(CloneFlags.CLONE_NEWUSER | CloneFlags.CLONE_NEWPID,
                compile(SandboxSpec.builder().image("x").command("sh"), layers, ImageDefaults.NONE).cloneFlags(), "the kernel's overlay needs none");
    }

    @Test
    void imageWithoutCommandAndNoneGivenIsAnError() {
        RootMount overlay = new RootMount.Overlay(Path.of("/s"), List.of("l"), Path.of("/s/u"), Path.of("/s/w"));
        assertThrows(SpecException.class, () -> compile(SandboxSpec.builder().image("x"), overlay, ImageDefaults.NONE));
    }

    @Test
    void renderNumbersEveryStepForDryRun() {
        String text = compile(spec()).render();
        assertTrue(text.startsWith("clone: user, pid namespaces\nid maps: uid 1000 -> 0"), text);
        assertTrue(text.contains("mounting proc on /proc"), text);
        assertTrue(text.strip().endsWith("executing id (searched in PATH)"), text);
    }
}
