package dev.jbox.linux.seccomp;

import dev.jbox.linux.Arch;
import dev.jbox.linux.Capabilities;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static dev.jbox.linux.seccomp.FilterHarness.ALLOW;
import static dev.jbox.linux.seccomp.FilterHarness.ENOSYS;
import static dev.jbox.linux.seccomp.FilterHarness.EPERM;
import static dev.jbox.linux.seccomp.FilterHarness.KILL_PROCESS;
import static dev.jbox.linux.seccomp.FilterHarness.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DefaultProfileTest {
    static final long CLONE_NEWUSER = 0x10000000, CLONE_NEWNS = 0x20000, CLONE_NEWNET = 0x40000000;
    static final long CLONE_VM = 0x100, CLONE_FS = 0x200, CLONE_FILES = 0x400, CLONE_THREAD = 0x10000, SIGCHLD = 17;
    static final long TIOCSTI = 0x5412, TIOCLINUX = 0x541C, TCGETS = 0x5401, FIONREAD = 0x541B;

    /** Calls a workload makes all the time, and the ones the chain makes after installing the filter. */
    static final List<String> COMMON = List.of("read", "write", "openat", "close", "mmap", "mprotect", "brk", "futex",
            "execve", "exit_group", "rt_sigprocmask", "rt_sigaction", "close_range", "getpid", "wait4", "pipe2",
            "dup3", "fstat", "newfstatat", "statx", "getdents64", "prctl", "set_robust_list", "rseq", "getrandom",
            "clock_gettime", "nanosleep", "uname", "setresuid", "capget", "ptrace", "seccomp", "pidfd_open", "memfd_create");

    /** What the default profile must refuse, per the issue (and Docker). */
    static final List<String> DENIED = List.of("keyctl", "add_key", "request_key", "kexec_load", "kexec_file_load",
            "open_by_handle_at", "init_module", "finit_module", "delete_module", "bpf", "perf_event_open",
            "userfaultfd", "clock_settime", "settimeofday", "adjtimex", "clock_adjtime", "reboot", "swapon",
            "swapoff", "acct", "mount", "umount2", "pivot_root", "setns", "fsopen", "fsmount", "move_mount",
            "open_tree", "io_uring_setup", "quotactl", "syslog", "lookup_dcookie", "mbind", "set_mempolicy",
            "kcmp", "process_madvise", "pidfd_getfd", "vhangup", "sethostname", "setdomainname", "fanotify_init");

    static Abi nativeAbi(Arch arch) {
        return Abi.nativeOf(arch);
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void allowsCommonCalls(Arch arch) {
        FilterHarness f = FilterHarness.defaultProfile(arch);
        for (String call : COMMON) {
            if (!nativeAbi(arch).table().contains(call)) continue;   // aarch64 has no fstat-less variants etc.
            assertEquals(describe(ALLOW), describe(f.call(nativeAbi(arch), call)), call);
        }
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void deniesDangerousCallsWithEperm(Arch arch) {
        FilterHarness f = FilterHarness.defaultProfile(arch);
        for (String call : DENIED) {
            if (!nativeAbi(arch).table().contains(call)) continue;
            assertEquals(describe(EPERM), describe(f.call(nativeAbi(arch), call)), call);
        }
        // Spot-check that the lists above cover both architectures' tables.
        assertTrue(nativeAbi(arch).table().contains("keyctl") && nativeAbi(arch).table().contains("kexec_file_load"));
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void cloneCreatesThreadsAndProcessesButNoNamespaces(Arch arch) {
        FilterHarness f = FilterHarness.defaultProfile(arch);
        Abi abi = nativeAbi(arch);
        assertEquals(ALLOW, f.call(abi, "clone", SIGCHLD));
        assertEquals(ALLOW, f.call(abi, "clone", CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_THREAD));
        assertEquals(EPERM, f.call(abi, "clone", CLONE_NEWUSER | SIGCHLD));
        assertEquals(EPERM, f.call(abi, "clone", CLONE_NEWNS | SIGCHLD));
        assertEquals(EPERM, f.call(abi, "clone", CLONE_NEWNET));
        assertEquals(ENOSYS, f.call(abi, "clone3"), "clone3 must say ENOSYS so glibc falls back to clone");
        assertEquals(ALLOW, f.call(abi, "unshare", CLONE_FS | CLONE_FILES));
        assertEquals(EPERM, f.call(abi, "unshare", CLONE_NEWUSER));
        assertEquals(EPERM, f.call(abi, "unshare", CLONE_NEWUSER | CLONE_NEWNS));
        assertEquals(EPERM, f.call(abi, "unshare", 0x80), "CLONE_NEWTIME");
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void ioctlRefusesTerminalInjectionOnly(Arch arch) {
        FilterHarness f = FilterHarness.defaultProfile(arch);
        Abi abi = nativeAbi(arch);
        assertEquals(EPERM, f.call(abi, "ioctl", 0, TIOCSTI, 0x7ffd_0000L));
        assertEquals(EPERM, f.call(abi, "ioctl", 0, TIOCLINUX));
        // The kernel reads the request as an unsigned int: high bits must not slip past the filter.
        assertEquals(EPERM, f.call(abi, "ioctl", 0, 0xFFFF_FFFF_0000_0000L | TIOCSTI));
        assertEquals(ALLOW, f.call(abi, "ioctl", 0, TCGETS));
        assertEquals(ALLOW, f.call(abi, "ioctl", 3, FIONREAD));
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void socketAndPersonalityFollowDocker(Arch arch) {
        FilterHarness f = FilterHarness.defaultProfile(arch);
        Abi abi = nativeAbi(arch);
        assertEquals(ALLOW, f.call(abi, "socket", 2 /* AF_INET */, 1));
        assertEquals(ALLOW, f.call(abi, "socket", 16 /* AF_NETLINK */, 3));
        assertEquals(EPERM, f.call(abi, "socket", 38 /* AF_ALG */, 5));
        assertEquals(EPERM, f.call(abi, "socket", 40 /* AF_VSOCK */, 1));
        assertEquals(ALLOW, f.call(abi, "personality", 0xFFFFFFFFL));
        assertEquals(ALLOW, f.call(abi, "personality", 0x20000 /* ADDR_NO_RANDOMIZE */));
        assertEquals(EPERM, f.call(abi, "personality", 0x0040000 /* READ_IMPLIES_EXEC */));
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void unknownNumbersSayEnosysAndForeignArchitecturesDie(Arch arch) {
        FilterHarness f = FilterHarness.defaultProfile(arch);
        int audit = nativeAbi(arch).auditArch;
        long max = nativeAbi(arch).table().byNumber().lastKey();
        assertEquals(ENOSYS, f.bpf.run(audit, max + 1));
        assertEquals(ENOSYS, f.bpf.run(audit, 1000));
        assertEquals(ENOSYS, f.bpf.run(audit, 0xFFFF_FFFFL), "syscall(-1)");
        assertEquals(KILL_PROCESS, f.bpf.run(0x40000028 /* AUDIT_ARCH_ARM */, 0));
        assertEquals(KILL_PROCESS, f.bpf.run(0x80000016 /* AUDIT_ARCH_S390X */, 0));
        if (arch == Arch.AARCH64) assertEquals(KILL_PROCESS, f.bpf.run(Abi.I386.auditArch, 3));
    }

    @Test
    void x86SpecificCallsFollowDocker() {
        FilterHarness f = FilterHarness.defaultProfile(Arch.X86_64);
        assertEquals(ALLOW, f.call(Abi.X86_64, "arch_prctl", 0x1002 /* ARCH_SET_FS: every program's TLS */, 0));
        assertEquals(ALLOW, f.call(Abi.X32, "arch_prctl", 0x1002, 0));
        // Docker matches includes.arches against the host ("amd64"), then allows the name in every ABI that has it.
        assertEquals(ALLOW, f.call(Abi.I386, "arch_prctl", 0x1002, 0));
        assertEquals(ALLOW, f.call(Abi.X86_64, "modify_ldt"));
        assertEquals(ALLOW, f.call(Abi.I386, "set_thread_area"), "i386 TLS");
        assertEquals(EPERM, f.call(Abi.X86_64, "iopl"));
        assertEquals(EPERM, f.call(Abi.X86_64, "ioperm"));
    }

    @Test
    void gapsInTheTableSayEnosys() {
        FilterHarness f = FilterHarness.defaultProfile(Arch.X86_64);
        assertEquals(null, Abi.X86_64.table().name(400), "x86-64 has no syscalls 335..423");
        assertEquals(ENOSYS, f.bpf.run(Abi.X86_64.auditArch, 400));
    }

    @Test
    void compatAbisOnX8664GetTheSameRules() {
        FilterHarness f = FilterHarness.defaultProfile(Arch.X86_64);
        for (Abi abi : List.of(Abi.I386, Abi.X32)) {
            assertEquals(ALLOW, f.call(abi, "read"), abi + " read");
            assertEquals(ALLOW, f.call(abi, "execve"), abi + " execve");
            assertEquals(EPERM, f.call(abi, "keyctl"), abi + " keyctl");
            assertEquals(EPERM, f.call(abi, "clone", CLONE_NEWUSER), abi + " clone(CLONE_NEWUSER)");
            assertEquals(EPERM, f.call(abi, "ioctl", 0, TIOCSTI), abi + " TIOCSTI");
            assertEquals(ALLOW, f.call(abi, "ioctl", 0, TCGETS), abi + " TCGETS");
        }
        assertEquals(ALLOW, f.call(Abi.I386, "socketcall"), "as Docker: i386's socketcall multiplexer stays");
        assertEquals(ENOSYS, f.bpf.run(Abi.X32.auditArch, 0x40000000L + 59), "x86-64-only number in x32 space");
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void capabilitiesLiftTheirRestrictionsAsInDocker(Arch arch) {
        Abi abi = nativeAbi(arch);
        FilterHarness admin = FilterHarness.defaultProfile(arch, Capabilities.resolve(List.of("SYS_ADMIN"), List.of(), true, 40));
        assertEquals(ALLOW, admin.call(abi, "mount"));
        assertEquals(ALLOW, admin.call(abi, "unshare", CLONE_NEWUSER | CLONE_NEWNS));
        assertEquals(ALLOW, admin.call(abi, "clone3"));
        assertEquals(EPERM, admin.call(abi, "keyctl"), "no capability lifts keyctl");
        assertEquals(EPERM, admin.call(abi, "ioctl", 0, TIOCSTI), "nor TIOCSTI");
        FilterHarness time = FilterHarness.defaultProfile(arch, Capabilities.resolve(List.of("SYS_TIME"), List.of(), true, 40));
        assertEquals(ALLOW, time.call(abi, "clock_settime"));
        assertEquals(ALLOW, time.call(abi, "adjtimex"));
        assertEquals(EPERM, time.call(abi, "mount"));
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void compiledFilterAgreesWithThePolicyForEveryCall(Arch arch) {
        Capabilities caps = Capabilities.dockerDefault(40);
        SeccompPolicy policy = DefaultProfile.profile().select(FilterHarness.sandbox(arch, caps));
        FilterHarness f = FilterHarness.defaultProfile(arch, caps);
        Random random = new Random(42);
        int maxCost = 0;
        for (Abi abi : SeccompPolicy.allAbisOf(arch)) {
            for (long nr : abi.table().byNumber().keySet()) {
                long[] args = {random.nextLong(), interesting(random), random.nextInt(64), 0, 0, 0};
                int expected = policy.decide(abi, nr, args).ret();
                assertEquals(describe(expected), describe(f.bpf.run(abi.auditArch, nr, args)), abi + " " + abi.table().name(nr));
                maxCost = Math.max(maxCost, f.bpf.executed);
            }
        }
        assertTrue(maxCost < 40, "a call runs at most " + maxCost + " BPF instructions");
    }

    private static long interesting(Random random) {
        long[] values = {TIOCSTI, TIOCLINUX, TCGETS, 0, CLONE_NEWUSER};
        return random.nextBoolean() ? values[random.nextInt(values.length)] : random.nextLong();
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void isCompiledOncePerSandbox(Arch arch) {
        Capabilities caps = Capabilities.dockerDefault(40);
        assertSame(DefaultFilters.filter(FilterHarness.sandbox(arch, caps)), DefaultFilters.filter(FilterHarness.sandbox(arch, caps)));
        int length = DefaultFilters.filter(FilterHarness.sandbox(arch, caps)).program().length();
        assertTrue(length < 1200, arch + ": " + length + " instructions");
    }
}
