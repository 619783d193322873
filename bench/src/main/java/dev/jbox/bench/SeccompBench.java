package dev.jbox.bench;

import dev.jbox.linux.Arch;
import dev.jbox.linux.Capabilities;
import dev.jbox.linux.seccomp.DefaultProfile;
import dev.jbox.linux.seccomp.KernelVersion;
import dev.jbox.linux.seccomp.ProfileEntry;
import dev.jbox.linux.seccomp.SeccompFilter;
import dev.jbox.security.SecurityPlan;
import dev.jbox.security.SecurityPolicy;
import dev.jbox.spec.Identity;
import dev.jbox.spec.SecuritySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/** What the security policy costs on the launch path: compiling the default filter, and resolving once it is cached. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SeccompBench {
    private final ProfileEntry.Sandbox sandbox =
            new ProfileEntry.Sandbox(Arch.current(), Capabilities.dockerDefault(40).boundingNames(), KernelVersion.running());

    /** Uncached: selecting the profile for the sandbox, compiling and assembling it (x86-64: three ABIs). */
    @Benchmark
    public SeccompFilter compileDefaultFilter() {
        return SeccompFilter.compile(DefaultProfile.profile(), sandbox);
    }

    /** What each launch pays: capabilities resolved, the compiled default filter looked up. */
    @Benchmark
    public SecurityPlan resolveDefaultPolicy() {
        return SecurityPolicy.resolve(SecuritySpec.DEFAULT, Identity.ROOT, Arch.current());
    }
}
