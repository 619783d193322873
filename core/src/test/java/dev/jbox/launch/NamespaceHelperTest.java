package dev.jbox.launch;

import dev.jbox.JboxException;
import dev.jbox.Sandbox;
import dev.jbox.linux.CloneFlags;
import dev.jbox.plugins.Plugins;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.spi.ChildProcess;
import dev.jbox.testing.Rootless;
import dev.jbox.testing.TestRootfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** A helper launched as a chain into a running sandbox's namespaces: where it ends up, how it fails, how it stops. */
class NamespaceHelperTest {
    private static final int USER_MNT = NamespaceHelper.USER_AND_MOUNT;

    @Test
    void theHelperJoinsTheSandboxsUserAndMountNamespacesOnlyAndStopsOnRequest(@TempDir Path dir) throws Exception {
        Rootless.assumeUnprivileged();
        SandboxProcess sandbox = new Sandbox(Plugins.none()).launch(SandboxSpec.builder().rootfs(TestRootfs.shared()).command("sleep", "100").build());
        try {
            int pid = (int) sandbox.pid();
            // The path is looked up after setns: in the sandbox's root (busybox), not the host's.
            NamespaceHelper helper = NamespaceHelper.start(new ChildProcess(pid, -1), USER_MNT, Path.of("/bin/sleep"), List.of("sleep", "100"), dir.resolve("log"));
            assertTrue(helper.isAlive());
            for (String ns : List.of("user", "mnt")) assertEquals(namespace(pid, ns), namespace(helper.pid(), ns), ns);
            for (String ns : List.of("pid", "net", "uts")) assertEquals(namespace(ProcessHandle.current().pid(), ns), namespace(helper.pid(), ns), ns);
            assertEquals(ProcessHandle.current().pid(), ProcessHandle.of(helper.pid()).orElseThrow().parent().orElseThrow().pid());
            assertTrue(Files.readString(Path.of("/proc/" + helper.pid() + "/status")).lines().anyMatch(l -> l.equals("SigBlk:\t0000000000000000")),
                    "it starts with no signal blocked");
            helper.stop(Duration.ofSeconds(2));
            assertFalse(helper.isAlive());
            assertEquals(15, helper.exitStatus().orElseThrow().signal());
        } finally {
            sandbox.destroyForcibly();
            sandbox.waitFor();
        }
    }

    @Test
    void aStepThatFailsIsNamedWithItsErrnoAndNothingRuns(@TempDir Path dir) {
        Rootless.assumeUnprivileged();
        JboxException e = assertThrows(JboxException.class, () -> NamespaceHelper.start(new ChildProcess(Integer.MAX_VALUE, -1), USER_MNT,
                Path.of("/bin/true"), List.of("true"), dir.resolve("log")));
        assertEquals("joining the user, mount namespaces of process " + Integer.MAX_VALUE + ": openat: ENOENT (No such file or directory)",
                e.getMessage());
        assertEquals(125, e.exitCode());
    }

    @Test
    void thePlanIsTheChainsSteps() {
        String text = NamespaceHelper.plan(42, USER_MNT, Path.of("/usr/bin/fuse-overlayfs"), List.of("fuse-overlayfs", "-f", "/m")).render();
        assertEquals("""
                clone: no new namespaces
                  1. joining the user, mount namespaces of process 42
                  2. arranging signal 9 on parent death
                  3. executing fuse-overlayfs -f /m
                """, text);
        assertEquals(0, NamespaceHelper.plan(42, USER_MNT, Path.of("/x"), List.of("x")).cloneFlags() & CloneFlags.CLONE_NEWUSER);
    }

    private static String namespace(long pid, String kind) throws Exception {
        return Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/" + kind)).toString();
    }
}
