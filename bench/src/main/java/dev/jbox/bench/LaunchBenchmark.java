package dev.jbox.bench;

import dev.jbox.Sandbox;
import dev.jbox.plugins.Plugins;
import dev.jbox.spec.SandboxSpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Sandbox launch latency from a warm JVM: {@code Sandbox.launch(spec)} of {@code /bin/true} until
 * its exit status is in hand (all namespaces: user, pid, mount, uts, ipc, cgroup, and net unless
 * {@code network=host}). SingleShotTime gives one sample per launch with nothing amortised;
 * SampleTime launches back to back and reports the distribution (p0.50 is the median).
 *
 * <p>Configurations not benchmarked yet, because their plugins are not on main: image roots
 * (storage-overlay), {@code --network slirp|pasta} (net-slirp), seccomp on/off (the security
 * policy does not yet change the plan: {@code Hardening.NONE}). See docs/bench.md.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class LaunchBenchmark {
    /** host: the host's / read-only (the default); directory: a busybox root bind-mounted. */
    @Param({"host", "directory"})
    public String root;

    /** none: own netns with loopback up (the default); host: the host's netns. */
    @Param({"none", "host"})
    public String network;

    private final Sandbox sandbox = new Sandbox(Plugins.none());
    private Path rootDir;
    private SandboxSpec spec;

    @Setup(Level.Trial)
    public void setUp() {
        rootDir = Workloads.rootFor(Workloads.Root.parse(root));
        spec = Workloads.trueIn(rootDir, network);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        Workloads.delete(rootDir);
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 100)
    @Measurement(iterations = 300)
    public int launchToExitSingleShot() throws InterruptedException {
        return Workloads.runToExit(sandbox.launch(spec));
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @Warmup(iterations = 3, time = 1)
    @Measurement(iterations = 5, time = 2)
    public int launchToExitSampled() throws InterruptedException {
        return Workloads.runToExit(sandbox.launch(spec));
    }
}
