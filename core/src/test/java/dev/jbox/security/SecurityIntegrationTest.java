package dev.jbox.security;

import dev.jbox.Sandbox;
import dev.jbox.linux.Arch;
import dev.jbox.linux.seccomp.Abi;
import dev.jbox.plan.Step;
import dev.jbox.plugins.Plugins;
import dev.jbox.spec.Identity;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.spec.SecuritySpec;
import dev.jbox.spec.UserNamespaceMode;
import dev.jbox.testing.Capture;
import dev.jbox.testing.Rootless;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Attacks from inside a real sandbox, run as the unprivileged test user on the host's root
 * (read-only). Raw system calls come from perl's {@code syscall}, which Debian always has
 * (perl-base is essential), so no test binary needs building.
 */
class SecurityIntegrationTest {
    private static final int EPERM = 1, ENOSYS = 38, ENOTTY = 25;
    private static final long CLONE_NEWUSER = 0x10000000L, TIOCSTI = 0x5412, TIOCLINUX = 0x541C, TCGETS = 0x5401;
    private static final Abi ABI = Abi.nativeOf(Arch.current());

    @BeforeAll
    static void setUp() {
        Rootless.assumeUnprivileged();
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/perl")), "needs /usr/bin/perl (Debian's perl-base) to make raw system calls");
        var plan = new Sandbox(Plugins.none()).plan(SandboxSpec.builder().command("/bin/true").build());
        wired = plan.steps().stream().anyMatch(Step.InstallSeccomp.class::isInstance);
    }

    private static boolean wired;

    /** Per test, so each one is reported as skipped with the reason until the launcher applies the policy. */
    @BeforeEach
    void requireWiring() {
        assumeTrue(wired, "SecurityPolicy is not wired into the launch plan yet (docs/security.md, \"What the launcher must wire\")");
    }

    private static SandboxSpec.Builder sh(String script) {
        return SandboxSpec.builder().command("/bin/sh", "-c", script);
    }

    /** A shell line printing "<return value> <errno>" for syscall {@code name} with integer or string arguments. */
    private static String syscall(String name, Object... args) {
        long nr = ABI.table().number(name);
        // perl passes strings as pointers and wants them writable: copy each into a variable first.
        StringBuilder vars = new StringBuilder();
        List<String> list = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof String s) {
                vars.append("my $s").append(i).append(" = \"").append(s).append("\"; ");
                list.add("$s" + i);
            } else {
                list.add(String.valueOf(args[i]));
            }
        }
        return "perl -e '" + vars + "my $r = syscall(" + nr + (list.isEmpty() ? "" : ", " + String.join(", ", list))
                + "); print \"$r \", $!+0, \"\\n\"' < /dev/null";
    }

    /** errno of each line printed by {@link #syscall} lines (-1 for a call that succeeded). */
    private static List<Integer> errnos(Capture c) {
        assertEquals(0, c.status(), "stdout: " + c.out() + " stderr: " + c.err());
        return c.out().lines().map(l -> l.split(" ")).map(p -> p[0].equals("-1") ? Integer.parseInt(p[1]) : -1).toList();
    }

    private static Map<String, String> status(Capture c) {
        assertEquals(0, c.status(), c.err());
        return c.out().lines().map(l -> l.split(":\\s*", 2)).collect(Collectors.toMap(p -> p[0], p -> p[1]));
    }

    private static final String STATUS = "grep -E '^(NoNewPrivs|Seccomp|CapBnd|CapEff|CapPrm|CapInh|CapAmb):' /proc/self/status";

    @Test
    void rootInsideHasDockersCapabilitiesNoNewPrivsAndTheFilter() {
        Map<String, String> s = status(Capture.run(sh(STATUS)));
        assertEquals("1", s.get("NoNewPrivs"));
        assertEquals("2", s.get("Seccomp"), "filter mode");
        assertEquals("00000000a80425fb", s.get("CapBnd"));
        assertEquals("00000000a80425fb", s.get("CapEff"));
        assertEquals("00000000a80425fb", s.get("CapPrm"));
        assertEquals("0000000000000000", s.get("CapInh"));
        assertEquals("0000000000000000", s.get("CapAmb"));
    }

    @Test
    void otherUsersInsideHaveNoCapabilities() {
        Map<String, String> s = status(Capture.run(sh(STATUS).identity(new Identity(UserNamespaceMode.SINGLE, 1000, 1000))));
        assertEquals("00000000a80425fb", s.get("CapBnd"));
        assertEquals("0000000000000000", s.get("CapEff"));
        assertEquals("0000000000000000", s.get("CapPrm"));
        assertEquals("1", s.get("NoNewPrivs"));
        assertEquals("2", s.get("Seccomp"));
    }

    @Test
    void capAddAndDropChangeTheBoundingSet() {
        Map<String, String> s = status(Capture.run(sh(STATUS).security(new SecuritySpec(SecuritySpec.Seccomp.DEFAULT, Set.of(), Set.of("ALL")))));
        assertEquals("0000000000000000", s.get("CapBnd"));
        Map<String, String> admin = status(Capture.run(sh(STATUS).security(new SecuritySpec(SecuritySpec.Seccomp.DEFAULT, Set.of("cap_sys_admin"), Set.of("NET_RAW")))));
        assertEquals(String.format("%016x", (0xa80425fbL | 1L << 21) & ~(1L << 13)), admin.get("CapBnd"), "+SYS_ADMIN -NET_RAW");
    }

    @Test
    void keyringsAreOutOfReach() {
        // keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0), add_key, request_key
        Capture c = Capture.run(sh(syscall("keyctl", 0, -3, 0) + "; " + syscall("add_key", "user", "k", "v", 1, -3)
                + "; " + syscall("request_key", "user", "k", 0, 0)));
        assertEquals(List.of(EPERM, EPERM, EPERM), errnos(c));
    }

    @Test
    void terminalInjectionIsRefusedButOrdinaryIoctlsWork() {
        Capture c = Capture.run(sh(syscall("ioctl", 0, TIOCSTI, "x") + "; " + syscall("ioctl", 0, TIOCLINUX, "x")
                + "; " + syscall("ioctl", 0, 0xFFFF_FFFF_0000_0000L | TIOCSTI, "x") + "; " + syscall("ioctl", 0, TCGETS, "x".repeat(64))));
        assertEquals(List.of(EPERM, EPERM, EPERM, ENOTTY), errnos(c), "the last one reaches the kernel: stdin is no terminal");
    }

    @Test
    void noNestedUserNamespace() {
        Capture c = Capture.run(sh(syscall("unshare", CLONE_NEWUSER) + "; " + syscall("clone3", 0, 0) + "; unshare -U true 2>&1; echo $?"));
        List<String> lines = c.out().lines().toList();
        assertTrue(lines.get(0).endsWith(" " + EPERM), "unshare(CLONE_NEWUSER): " + lines);
        assertTrue(lines.get(1).endsWith(" " + ENOSYS), "clone3 says ENOSYS so libc falls back to clone: " + lines);
        assertTrue(lines.get(2).contains("Operation not permitted"), lines.toString());
        assertNotEquals("0", lines.getLast());
    }

    @Test
    void cannotMountAFreshProcWithOtherOptions() {
        Capture c = Capture.run(sh("mount -t proc -o hidepid=2 proc /proc 2>&1; echo $?; " + syscall("mount", "proc", "/proc", "proc", 0, "hidepid=2")));
        List<String> lines = c.out().lines().toList();
        assertNotEquals("0", lines.get(lines.size() - 2), lines.toString());
        assertTrue(lines.getLast().endsWith(" " + EPERM), lines.toString());
    }

    @Test
    void kernelKnobsInProcAreNotWritable() {
        Capture c = Capture.run(sh("for f in /proc/sysrq-trigger /proc/sys/kernel/panic /proc/sys/vm/drop_caches /proc/sys/kernel/hostname; do"
                + " (echo 0 > $f) 2>/dev/null && echo \"$f written\"; done; echo done"));
        assertEquals("done", c.out().strip(), "nothing written: " + c.out());
    }

    @Test
    void unconfinedMeansNoFilter() {
        Capture c = Capture.run(sh(STATUS + "; " + syscall("keyctl", 0, -3, 0))
                .security(new SecuritySpec(SecuritySpec.Seccomp.UNCONFINED, Set.of(), Set.of())));
        assertTrue(c.out().contains("Seccomp:\t0"), c.out());
        assertTrue(c.out().contains("NoNewPrivs:\t1"), "no_new_privs stays: " + c.out());
        assertTrue(!c.out().lines().toList().getLast().startsWith("-1 "), "keyctl reaches the kernel: " + c.out());
    }

    /** With the profile's flags too: ChainProgramTest shows they are passed to seccomp(2); here the kernel takes them. */
    @Test
    void ociProfileFromAFileIsApplied(@TempDir Path dir) throws Exception {
        Path profile = dir.resolve("profile.json");
        Files.writeString(profile, """
                {"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"],
                 "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 99}]}""");
        Capture c = Capture.run(sh(syscall("getppid") + "; " + syscall("keyctl", 0, -3, 0))
                .security(new SecuritySpec(SecuritySpec.Seccomp.parse(profile.toString()), Set.of(), Set.of())));
        List<Integer> e = errnos(c);
        assertEquals(99, e.get(0));
        assertEquals(-1, e.get(1), "this profile allows keyctl");
    }
}
