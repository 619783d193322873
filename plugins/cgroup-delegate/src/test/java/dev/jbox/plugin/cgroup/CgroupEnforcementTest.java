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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real enforcement, where a delegated cgroup v2 tree exists (a systemd user session, or a delegated
 * cgroupfs subtree): the kernel OOM-kills a memory hog, stops a fork bomb, throttles a busy loop.
 * The workload is a plain process held at a sync point ({@code read go}) as jbox's chain holds the
 * sandbox, so this needs no launcher. Skips, saying why, where no backend can apply the limits.
 */
class CgroupEnforcementTest {
    private static final long MIB = 1 << 20;
    /** {@code -Djbox.test.cgroupManager=cgroupfs} tests that backend where systemd would be chosen. */
    private static final CgroupManager MANAGER = CgroupManager.parse(System.getProperty("jbox.test.cgroupManager", "auto"));

    @TempDir Path tmp;

    /** A workload placed while it waits, then released, like the launch protocol does; {@code cgroup} is where it landed. */
    private record Run(Process process, LaunchHooks hooks, Path cgroup) implements AutoCloseable {
        void release() throws Exception {
            try (OutputStream go = process.getOutputStream()) {
                go.write("go\n".getBytes(StandardCharsets.UTF_8));
            }
        }

        ExitStatus await() throws InterruptedException {
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "workload did not end");
            int code = process.exitValue();
            ExitStatus status = code > 128 ? ExitStatus.killed(code - 128, false) : ExitStatus.exited(code);
            hooks.exited(status);
            return status;
        }

        Map<String, Long> stat(String file) throws IOException {
            return CgroupReader.parseKeyed(Files.readString(cgroup.resolve(file)));
        }

        /** Kills what the workload left in its cgroup (a pid namespace does that for a real sandbox), then cleans up. */
        @Override
        public void close() throws IOException {
            process.destroyForcibly();
            if (Files.exists(cgroup.resolve("cgroup.procs"))) {
                for (String pid : Files.readAllLines(cgroup.resolve("cgroup.procs"))) {
                    ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            hooks.close();
        }
    }

    /** Why no backend can apply even a pids limit here, or null when one can; found once. */
    private static String unavailable;
    private static boolean probed;

    /** Skips each test, saying why, where no backend can apply limits (surefire drops class-level skip reasons). */
    @BeforeEach
    void someBackendWorks() throws Exception {
        synchronized (CgroupEnforcementTest.class) {
            if (!probed) {
                probed = true;
                SandboxSpec spec = SandboxSpec.builder().command("true").limits(new Limits(null, null, null, 10L, null, null))
                        .cgroupManager(MANAGER).build();
                try {
                    new CgroupDelegateLimiter().prepare(new SandboxContext("probe" + Long.toHexString(System.nanoTime()), spec, tmp, 0, 0)).close();
                } catch (JboxException e) {
                    unavailable = e.userMessage();
                }
            }
        }
        Assumptions.assumeTrue(unavailable == null,
                () -> "no cgroup backend can apply limits on this host, so enforcement is not tested here: " + unavailable);
    }

    private Run start(Limits limits, String script) throws Exception {
        SandboxSpec spec = SandboxSpec.builder().command("sh", "-c", script).limits(limits).cgroupManager(MANAGER).build();
        String id = "test" + Long.toHexString(System.nanoTime());
        LaunchHooks hooks = new CgroupDelegateLimiter().prepare(new SandboxContext(id, spec, tmp, 0, 0));
        Process process = new ProcessBuilder("sh", "-c", "read go && exec sh -c \"$0\"", script)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            hooks.childCreated(new ChildProcess((int) process.pid(), -1));
        } catch (Exception e) {
            process.destroyForcibly();
            hooks.close();
            throw e;
        }
        Run run = new Run(process, hooks, new CgroupDelegateLimiter().sandboxCgroup((int) process.pid()).orElseThrow());
        run.release();
        return run;
    }

    /** Like {@link #start}, skipping when the host delegates memory and pids but not the controller asked for. */
    private Run startUnlessNotDelegated(Limits limits, String script) throws Exception {
        try {
            return start(limits, script);
        } catch (JboxException e) {
            Assumptions.assumeFalse(e.getMessage().contains("does not delegate") || e.getMessage().contains("does not offer"), e.userMessage());
            throw e;
        }
    }

    @Test
    void memoryHogIsOomKilled() throws Exception {
        // --memory-swap equal to --memory: no swap, so the hog cannot escape into it.
        try (Run run = start(new Limits(32 * MIB, 32 * MIB, null, null, null, null), "exec dd if=/dev/zero of=/dev/null bs=256M count=1")) {
            ExitStatus status = run.await();
            assertEquals(9, status.signal(), "dd should be SIGKILLed by the OOM killer, got " + status);
            assertEquals(Optional.of("killed: out of memory, limit 32 MiB"), run.hooks().exitNote());
        }
    }

    @Test
    void forkBombIsStoppedByThePidsLimit() throws Exception {
        // The forks happen in a subshell, which dash ends at the first refused fork ("Cannot fork"); the
        // main shell then needs no fork of its own while the sleeps hold the pids. Assumes /bin/sh is
        // dash, as on Debian: bash retries a refused fork for many seconds.
        String bomb = "(i=0; while [ $i -lt 120 ]; do sleep 1000 & i=$((i+1)); done) 2>/dev/null; echo started; exec sleep 1000";
        try (Run run = start(new Limits(null, null, null, 50L, null, null), bomb)) {
            BufferedReader out = new BufferedReader(new InputStreamReader(run.process().getInputStream(), StandardCharsets.UTF_8));
            assertEquals("started", out.readLine());
            ResourceUsage usage = new CgroupDelegateLimiter().usage((int) run.process().pid()).orElseThrow();
            assertEquals(50L, usage.pidsLimit());
            assertTrue(usage.pids() <= 50 && usage.pids() >= 45, "pids.current " + usage.pids());
            assertTrue(run.stat("pids.events").getOrDefault("max", 0L) > 0, "pids.events max should count refused forks: " + run.stat("pids.events"));
        }
    }

    @Test
    void ioWeightIsAppliedOrRefusedNamingTheIoController() throws Exception {
        Run run;
        try {
            run = start(new Limits(null, null, null, null, null, 300), "exit 0");
        } catch (JboxException e) {
            // Debian 12's user@.service delegates cpu memory pids, not io.
            assertTrue(e.getMessage().contains("the io controller"), e.getMessage());
            assertTrue(e.hint().contains("delegate.conf") || e.hint().contains("cgroup.subtree_control"), e.hint());
            return;
        }
        try (run) {
            assertEquals(0, run.await().code());
        }
    }

    @Test
    void cpusThrottleABusyLoop() throws Exception {
        String spin = "i=0; while [ $i -lt 1000000000 ]; do i=$((i+1)); done";
        try (Run run = startUnlessNotDelegated(new Limits(null, null, 0.5, null, null, null), spin)) {
            assertEquals("50000 100000", Files.readString(run.cgroup().resolve("cpu.max")).trim());
            Thread.sleep(2000);
            Map<String, Long> cpu = run.stat("cpu.stat");
            assertTrue(cpu.get("nr_throttled") > 0 && cpu.get("throttled_usec") > 0, "cpu.stat " + cpu);
            // Never more than the quota per elapsed period (clock-independent, so also right under emulation).
            long allowed = cpu.get("nr_periods") * 50_000 + 50_000;
            assertTrue(cpu.get("usage_usec") <= allowed, "cpu.stat " + cpu + ": more than 50 ms per 100 ms period");
        }
    }
}
