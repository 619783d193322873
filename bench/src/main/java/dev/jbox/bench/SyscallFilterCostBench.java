package dev.jbox.bench;

import dev.jbox.linux.Arch;
import dev.jbox.linux.Sys;
import dev.jbox.linux.Syscall;
import dev.jbox.linux.seccomp.SeccompFilter;
import dev.jbox.security.SecurityPolicy;
import dev.jbox.spec.Identity;
import dev.jbox.spec.SecuritySpec;
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

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * What the default filter costs a workload per system call: getpid() with no filter, and with
 * jbox's default filter installed on the benchmark thread (seccomp filters are per thread, and
 * each @Param value runs in its own forked JVM, so nothing else is filtered).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SyscallFilterCostBench {
    private static final int PR_SET_NO_NEW_PRIVS = 38, SECCOMP_SET_MODE_FILTER = 1;

    @Param({"none", "default"})
    public String filter;

    @Setup
    public void install() {
        if (filter.equals("none")) return;
        SeccompFilter f = SecurityPolicy.resolve(SecuritySpec.DEFAULT, Identity.ROOT, Arch.current()).seccomp();
        MemorySegment program = Arena.global().allocateFrom(JAVA_BYTE, f.program().toBytes());
        MemorySegment fprog = Arena.global().allocate(16, 8);   // struct sock_fprog { u16 len; sock_filter *filter; }
        fprog.set(JAVA_SHORT, 0, (short) f.program().length());
        fprog.set(ADDRESS, 8, program);
        Syscall.call(Sys.PRCTL, "no_new_privs", PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
        Syscall.call(Sys.SECCOMP, "default filter", SECCOMP_SET_MODE_FILTER, 0, fprog.address());
    }

    @Benchmark
    public long getpid() {
        return Syscall.callOrErrno(Sys.GETPID);
    }
}
