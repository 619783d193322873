package dev.jbox.bench;

import dev.jbox.Sandbox;
import dev.jbox.launch.RootTargets;
import dev.jbox.linux.Arch;
import dev.jbox.linux.Linux;
import dev.jbox.plan.Hardening;
import dev.jbox.plan.HostFacts;
import dev.jbox.plan.LaunchPlan;
import dev.jbox.plan.MountTargets;
import dev.jbox.plan.PlanCompiler;
import dev.jbox.plan.PlanInputs;
import dev.jbox.plugins.Plugins;
import dev.jbox.security.SecurityPolicy;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.spi.PreparedRoot.ImageDefaults;
import dev.jbox.spi.PreparedRoot.RootMount;
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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The launch path without the launch: compiling a spec into its plan. {@code compile} is
 * {@link PlanCompiler#compile} with the inputs the launcher gives it (mount targets that stat the
 * root filesystem, the resolved security policy); {@code sandboxPlan} is what {@code --dry-run}
 * does (spec checks, host facts, security policy, compile).
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PlanBenchmark {
    @Param({"host-root", "dir", "dir/seccomp=unconfined"})
    public String sandbox;

    private final Sandbox jbox = new Sandbox(Plugins.none());
    private Workloads.Trial trial;
    private PlanInputs inputs;

    @Setup(Level.Trial)
    public void setUp() {
        trial = Workloads.parse(sandbox).trial();
        Path root = trial.root();
        SandboxSpec spec = trial.spec();
        HostFacts host = new HostFacts(Linux.getuid(), Linux.getgid(), System.getProperty("user.dir"), 0);
        RootMount mount = root == null ? new RootMount.HostRoot() : new RootMount.Bind(root);
        MountTargets targets = root == null ? RootTargets.hostRoot() : new RootTargets(List.of(root));
        Hardening hardening = SecurityPolicy.resolve(spec.security(), PlanCompiler.workloadIdentity(spec, ImageDefaults.NONE), Arch.current())
                .toHardening();
        inputs = new PlanInputs(spec, host, mount, ImageDefaults.NONE, List.of(), targets, hardening);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        trial.close();
    }

    @Benchmark
    public LaunchPlan compile() {
        return PlanCompiler.compile(inputs);
    }

    @Benchmark
    public LaunchPlan sandboxPlan() {
        return jbox.plan(trial.spec());
    }
}
