package dev.jbox.bench;

import dev.jbox.Sandbox;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.spec.SecuritySpec;
import dev.jbox.testing.TestRootfs;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.ProcessBuilder.Redirect;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Launch → exit of {@code /bin/true} on a busybox root, with and without the default seccomp
 * filter and with every capability kept or dropped: the launch-path cost of the hardening steps
 * (filter install, capability drops), run as an unprivileged user.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class LaunchSeccompBench {
    @Param({"unconfined", "default"})
    public String seccomp;

    private SandboxSpec spec;

    @Setup
    public void setUp() {
        spec = SandboxSpec.builder().rootfs(TestRootfs.shared()).command("/bin/true")
                .security(new SecuritySpec(SecuritySpec.Seccomp.parse(seccomp), Set.of(), Set.of()))
                .stdin(Redirect.PIPE).stdout(Redirect.DISCARD).stderr(Redirect.DISCARD)
                .build();
    }

    @Benchmark
    public int launchToExit() throws InterruptedException {
        return Sandbox.start(spec).waitFor();
    }
}
