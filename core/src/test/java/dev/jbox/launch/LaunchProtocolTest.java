package dev.jbox.launch;

import dev.jbox.Sandbox;
import dev.jbox.linux.Linux;
import dev.jbox.plugins.Plugins;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.spi.ChildProcess;
import dev.jbox.spi.LaunchHooks;
import dev.jbox.testing.Rootless;
import dev.jbox.testing.TestRootfs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Both ways the id maps get written, through the launcher with real plugin hooks. */
class LaunchProtocolTest {
    static SandboxSpec spec;

    @BeforeAll
    static void setUp() {
        Rootless.assumeUnprivileged();
        spec = SandboxSpec.builder().rootfs(TestRootfs.shared()).command("/bin/sh", "-c", "cat /proc/self/uid_map; exit 7")
                .stdout(ProcessBuilder.Redirect.PIPE).build();
    }

    /** Records what the launcher showed it: the uid map the child had at each hook. */
    static final class Recording implements LaunchHooks {
        final boolean uses;
        final List<String> seen = new ArrayList<>();

        Recording(boolean uses) {
            this.uses = uses;
        }

        @Override
        public void childCreated(ChildProcess child) throws IOException {
            seen.add("created: " + Files.readString(Path.of("/proc/" + child.pid() + "/uid_map")).trim().replaceAll("\\s+", " "));
        }

        @Override
        public void beforeRelease(ChildProcess child) throws IOException {
            seen.add("release: " + Files.readString(Path.of("/proc/" + child.pid() + "/uid_map")).trim().replaceAll("\\s+", " "));
        }

        @Override
        public boolean usesChildCreated() {
            return uses;
        }
    }

    private static String run(Recording hooks) throws Exception {
        SandboxProcess p = Launcher.launch(new Sandbox(Plugins.none()).plan(spec), spec, hooks, System.getProperty("user.name"));
        String out = new String(p.getInputStream().readAllBytes()).trim().replaceAll("\\s+", " ");
        assertEquals(7, p.waitFor());
        return out;
    }

    @Test
    void aPluginPlacingTheChildSeesItWaitingWithItsMapsWritten() throws Exception {
        Recording hooks = new Recording(true);
        String map = "0 " + Linux.getuid() + " 1";
        assertEquals(map, run(hooks));
        assertEquals(List.of("created: " + map, "release: " + map), hooks.seen);
    }

    @Test
    void withoutPluginsTheMountNamespaceIsHeldUntilTheExitIsReported() throws Exception {
        SandboxProcess p = Sandbox.start(SandboxSpec.builder().rootfs(TestRootfs.shared()).command("/bin/sh", "-c", "read x; exit 0")
                .stdin(ProcessBuilder.Redirect.PIPE).build());
        String ns = Files.readSymbolicLink(Path.of("/proc/" + p.pid() + "/ns/mnt")).toString();
        assertTrue(namespacesHeld().contains(ns), "held by this JVM while the workload runs: " + ns);
        p.getOutputStream().close();
        assertEquals(0, p.waitFor());
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (namespacesHeld().contains(ns) && System.nanoTime() < deadline) Thread.sleep(5);
        assertFalse(namespacesHeld().contains(ns), "released once the exit was reported");
    }

    private static List<String> namespacesHeld() throws IOException {
        List<String> out = new ArrayList<>();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    out.add(Files.readSymbolicLink(fd).toString());
                } catch (IOException closedMeanwhile) {
                    // The fd of the listing itself, or one closed since.
                }
            }
        }
        return out;
    }

    @Test
    void manyWaitersGetOneStatusFromOneReap() throws Exception {
        java.util.concurrent.atomic.AtomicInteger exited = new java.util.concurrent.atomic.AtomicInteger(), closed = new java.util.concurrent.atomic.AtomicInteger();
        LaunchHooks counting = new LaunchHooks() {
            @Override
            public void exited(dev.jbox.spi.ExitStatus status) {
                exited.incrementAndGet();
            }

            @Override
            public void close() {
                closed.incrementAndGet();
            }

            @Override
            public boolean usesChildCreated() {
                return false;
            }
        };
        SandboxSpec quick = SandboxSpec.builder().rootfs(TestRootfs.shared()).command("/bin/sh", "-c", "exit 7").build();
        for (int round = 0; round < 20; round++) {
            SandboxProcess p = Launcher.launch(new Sandbox(Plugins.none()).plan(quick), quick, counting, System.getProperty("user.name"));
            var waiters = new ArrayList<java.util.concurrent.FutureTask<Integer>>();
            for (int i = 0; i < 3; i++) {
                var waiter = new java.util.concurrent.FutureTask<>(p::waitFor);
                waiters.add(waiter);
                Thread.ofPlatform().start(waiter);
            }
            assertEquals(7, p.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS).exitValue());
            for (var w : waiters) assertEquals(7, w.get(10, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(7, p.waitFor());
            assertFalse(p.signal(15), "nothing to signal once reaped");
        }
        assertEquals(20, exited.get(), "the exit hook runs once per sandbox, whoever reaps");
        assertEquals(20, closed.get());
    }

    @Test
    void withoutSuchAPluginTheChildWritesItsOwnMaps() throws Exception {
        Recording hooks = new Recording(false);
        String map = "0 " + Linux.getuid() + " 1";
        assertEquals(map, run(hooks));
        assertEquals(List.of("release: " + map), hooks.seen, "childCreated is not called: the child did not wait for it");
    }
}
