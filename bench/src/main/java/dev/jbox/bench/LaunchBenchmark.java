package dev.jbox.bench;

import dev.jbox.Sandbox;
import dev.jbox.plugins.Plugins;
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

import java.util.concurrent.TimeUnit;

/**
 * Sandbox launch latency from a warm JVM: {@code Sandbox.launch(spec)} of {@code /bin/true} until
 * its exit status is in hand (user, pid, mount, uts, ipc, cgroup namespaces, and net unless
 * {@code net=host}). SingleShotTime gives one sample per launch with nothing amortised;
 * SampleTime launches back to back and reports the distribution (p0.50 is the median).
 * Configurations: see {@link Workloads}. {@code net=slirp|pasta} and {@code image} load the
 * net-slirp and storage-overlay plugins from {@code jbox.plugins.dir} (bench/run sets it).
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class LaunchBenchmark {
    @Param({"host-root", "dir", "dir/net=host", "dir/net=slirp", "dir/net=pasta", "dir/seccomp=unconfined", "image"})
    public String sandbox;

    private final Sandbox jbox = new Sandbox(Plugins.fromEnvironment());
    private Workloads.Trial trial;

    @Setup(Level.Trial)
    public void setUp() {
        trial = Workloads.parse(sandbox).trial();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        trial.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 100)
    @Measurement(iterations = 300)
    public int launchToExitSingleShot() throws InterruptedException {
        return Workloads.runToExit(jbox.launch(trial.spec()));
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @Warmup(iterations = 3, time = 1)
    @Measurement(iterations = 5, time = 2)
    public int launchToExitSampled() throws InterruptedException {
        return Workloads.runToExit(jbox.launch(trial.spec()));
    }
}
