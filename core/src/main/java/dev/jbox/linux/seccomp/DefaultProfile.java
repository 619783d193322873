package dev.jbox.linux.seccomp;

import dev.jbox.linux.seccomp.ProfileEntry.Filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.jbox.linux.seccomp.ArgCondition.Op.EQ;
import static dev.jbox.linux.seccomp.ArgCondition.Op.GT;
import static dev.jbox.linux.seccomp.ArgCondition.Op.LT;

/**
 * jbox's default seccomp profile: the data of Docker's default profile (moby/profiles
 * {@code seccomp/default.json}) with three deliberate differences, marked "jbox:" below:
 * <ol>
 * <li>{@code ioctl(TIOCSTI)} and {@code ioctl(TIOCLINUX)} fail with EPERM: no pushing input into a
 *     terminal the sandbox shares with its caller (bubblewrap CVE-2017-5226), no console
 *     selection tricks. Compared on the low 32 bits, which is all the kernel reads;
 * <li>{@code adjtimex} and {@code clock_adjtime} are allowed only with CAP_SYS_TIME, like
 *     {@code clock_settime} (Docker allows them for reading; setting needs the host's CAP_SYS_TIME);
 * <li>{@code unshare} is allowed when it creates no namespace ({@code CLONE_FS}, {@code CLONE_FILES},
 *     …), as {@code clone} is; Docker refuses {@code unshare} altogether without CAP_SYS_ADMIN.
 * </ol>
 * Entries for architectures jbox does not run on (ppc64le, s390, riscv64) are left out.
 * Everything not listed fails with EPERM; numbers unknown to jbox's tables with ENOSYS.
 */
public final class DefaultProfile {
    private DefaultProfile() {}

    /** Namespace flags clone and unshare must not carry without CAP_SYS_ADMIN (Docker's mask for clone, plus CLONE_NEWTIME). */
    static final long CLONE_NEW_ANY = 0x7E020000L, CLONE_NEWTIME = 0x80L;
    static final long TIOCSTI = 0x5412, TIOCLINUX = 0x541C;

    private static final List<String> ALLOWED = List.of(
            "accept", "accept4", "access", "alarm", "bind", "brk", "cachestat", "capget", "capset",
            "chdir", "chmod", "chown", "chown32", "clock_getres", "clock_getres_time64",
            "clock_gettime", "clock_gettime64", "clock_nanosleep", "clock_nanosleep_time64", "close",
            "close_range", "connect", "copy_file_range", "creat", "dup", "dup2", "dup3", "epoll_create",
            "epoll_create1", "epoll_ctl", "epoll_ctl_old", "epoll_pwait", "epoll_pwait2", "epoll_wait",
            "epoll_wait_old", "eventfd", "eventfd2", "execve", "execveat", "exit", "exit_group",
            "faccessat", "faccessat2", "fadvise64", "fadvise64_64", "fallocate", "fanotify_mark",
            "fchdir", "fchmod", "fchmodat", "fchmodat2", "fchown", "fchown32", "fchownat", "fcntl",
            "fcntl64", "fdatasync", "fgetxattr", "flistxattr", "flock", "fork", "fremovexattr",
            "fsetxattr", "fstat", "fstat64", "fstatat64", "fstatfs", "fstatfs64", "fsync", "ftruncate",
            "ftruncate64", "futex", "futex_requeue", "futex_time64", "futex_wait", "futex_waitv",
            "futex_wake", "futimesat", "getcpu", "getcwd", "getdents", "getdents64", "getegid",
            "getegid32", "geteuid", "geteuid32", "getgid", "getgid32", "getgroups", "getgroups32",
            "getitimer", "getpeername", "getpgid", "getpgrp", "getpid", "getppid", "getpriority",
            "getrandom", "getresgid", "getresgid32", "getresuid", "getresuid32", "getrlimit",
            "get_robust_list", "getrusage", "getsid", "getsockname", "getsockopt", "get_thread_area",
            "gettid", "gettimeofday", "getuid", "getuid32", "getxattr", "getxattrat",
            "inotify_add_watch", "inotify_init", "inotify_init1", "inotify_rm_watch", "io_cancel",
            "ioctl", "io_destroy", "io_getevents", "io_pgetevents", "io_pgetevents_time64",
            "ioprio_get", "ioprio_set", "io_setup", "io_submit", "ipc", "kill", "landlock_add_rule",
            "landlock_create_ruleset", "landlock_restrict_self", "lchown", "lchown32", "lgetxattr",
            "link", "linkat", "listen", "listmount", "listxattr", "listxattrat", "llistxattr",
            "_llseek", "lremovexattr", "lseek", "lsetxattr", "lstat", "lstat64", "madvise",
            "map_shadow_stack", "membarrier", "memfd_create", "memfd_secret", "mincore", "mkdir",
            "mkdirat", "mknod", "mknodat", "mlock", "mlock2", "mlockall", "mmap", "mmap2", "mprotect",
            "mq_getsetattr", "mq_notify", "mq_open", "mq_timedreceive", "mq_timedreceive_time64",
            "mq_timedsend", "mq_timedsend_time64", "mq_unlink", "mremap", "mseal", "msgctl", "msgget",
            "msgrcv", "msgsnd", "msync", "munlock", "munlockall", "munmap", "name_to_handle_at",
            "nanosleep", "newfstatat", "_newselect", "open", "openat", "openat2", "pause", "pidfd_open",
            "pidfd_send_signal", "pipe", "pipe2", "pkey_alloc", "pkey_free", "pkey_mprotect", "poll",
            "ppoll", "ppoll_time64", "prctl", "pread64", "preadv", "preadv2", "prlimit64",
            "process_mrelease", "pselect6", "pselect6_time64", "pwrite64", "pwritev", "pwritev2",
            "read", "readahead", "readlink", "readlinkat", "readv", "recv", "recvfrom", "recvmmsg",
            "recvmmsg_time64", "recvmsg", "remap_file_pages", "removexattr", "removexattrat", "rename",
            "renameat", "renameat2", "restart_syscall", "riscv_hwprobe", "rmdir", "rseq",
            "rt_sigaction", "rt_sigpending", "rt_sigprocmask", "rt_sigqueueinfo", "rt_sigreturn",
            "rt_sigsuspend", "rt_sigtimedwait", "rt_sigtimedwait_time64", "rt_tgsigqueueinfo",
            "sched_getaffinity", "sched_getattr", "sched_getparam", "sched_get_priority_max",
            "sched_get_priority_min", "sched_getscheduler", "sched_rr_get_interval",
            "sched_rr_get_interval_time64", "sched_setaffinity", "sched_setattr", "sched_setparam",
            "sched_setscheduler", "sched_yield", "seccomp", "select", "semctl", "semget", "semop",
            "semtimedop", "semtimedop_time64", "send", "sendfile", "sendfile64", "sendmmsg", "sendmsg",
            "sendto", "setfsgid", "setfsgid32", "setfsuid", "setfsuid32", "setgid", "setgid32",
            "setgroups", "setgroups32", "setitimer", "setpgid", "setpriority", "setregid", "setregid32",
            "setresgid", "setresgid32", "setresuid", "setresuid32", "setreuid", "setreuid32",
            "setrlimit", "set_robust_list", "setsid", "setsockopt", "set_thread_area",
            "set_tid_address", "setuid", "setuid32", "setxattr", "setxattrat", "shmat", "shmctl",
            "shmdt", "shmget", "shutdown", "sigaltstack", "signalfd", "signalfd4", "sigprocmask",
            "sigreturn", "socketcall", "socketpair", "splice", "stat", "stat64", "statfs", "statfs64",
            "statmount", "statx", "symlink", "symlinkat", "sync", "sync_file_range", "syncfs",
            "sysinfo", "tee", "tgkill", "time", "timer_create", "timer_delete", "timer_getoverrun",
            "timer_gettime", "timer_gettime64", "timer_settime", "timer_settime64", "timerfd_create",
            "timerfd_gettime", "timerfd_gettime64", "timerfd_settime", "timerfd_settime64", "times",
            "tkill", "truncate", "truncate64", "ugetrlimit", "umask", "uname", "unlink", "unlinkat",
            "uretprobe", "utime", "utimensat", "utimensat_time64", "utimes", "vfork", "vmsplice",
            "wait4", "waitid", "waitpid", "write", "writev");

    static final String NAME = "the default seccomp profile";
    private static final SeccompProfile PROFILE = build();

    /** The profile as data; {@link DefaultFilters} has it compiled. */
    public static SeccompProfile profile() {
        return PROFILE;
    }

    private static SeccompProfile build() {
        Action allow = Action.ALLOW;
        List<ProfileEntry> entries = new ArrayList<>();
        entries.add(ProfileEntry.of(allow, ALLOWED));
        entries.add(ProfileEntry.of(allow, List.of("process_vm_readv", "process_vm_writev", "ptrace"))
                .including(new Filter(Set.of(), Set.of(), new KernelVersion(4, 8))));
        entries.add(ProfileEntry.of(allow, List.of("socket")).withArgs(ArgCondition.of(0, LT, 38)));   // not AF_ALG
        entries.add(ProfileEntry.of(allow, List.of("socket")).withArgs(ArgCondition.of(0, EQ, 39)));
        entries.add(ProfileEntry.of(allow, List.of("socket")).withArgs(ArgCondition.of(0, GT, 40)));   // not AF_VSOCK
        for (long persona : new long[] {0, 8, 0x20000, 0x20008, 0xFFFFFFFFL}) {  // PER_LINUX, UNAME26, ADDR_NO_RANDOMIZE, query
            entries.add(ProfileEntry.of(allow, List.of("personality")).withArgs(ArgCondition.of(0, EQ, persona)));
        }
        entries.add(ProfileEntry.of(allow, List.of("arm_fadvise64_64", "arm_sync_file_range", "sync_file_range2",
                "breakpoint", "cacheflush", "set_tls")).including(Filter.arches("arm", "arm64")));
        entries.add(ProfileEntry.of(allow, List.of("arch_prctl")).including(Filter.arches("amd64", "x32")));
        entries.add(ProfileEntry.of(allow, List.of("modify_ldt")).including(Filter.arches("amd64", "x32", "x86")));
        entries.add(ProfileEntry.of(allow, List.of("open_by_handle_at")).including(Filter.caps("CAP_DAC_READ_SEARCH")));
        entries.add(ProfileEntry.of(allow, List.of("bpf", "clone", "clone3", "fanotify_init", "fsconfig", "fsmount",
                "fsopen", "fspick", "lookup_dcookie", "lsm_get_self_attr", "lsm_list_modules", "lsm_set_self_attr",
                "mount", "mount_setattr", "move_mount", "open_tree", "perf_event_open", "quotactl", "quotactl_fd",
                "setdomainname", "sethostname", "setns", "syslog", "umount", "umount2", "unshare"))
                .including(Filter.caps("CAP_SYS_ADMIN")));
        entries.add(ProfileEntry.of(allow, List.of("clone")).withArgs(ArgCondition.masked(0, CLONE_NEW_ANY, 0))
                .excluding(Filter.caps("CAP_SYS_ADMIN")));
        // jbox: unshare(2) of anything but namespaces, under the same condition as clone.
        entries.add(ProfileEntry.of(allow, List.of("unshare")).withArgs(ArgCondition.masked(0, CLONE_NEW_ANY | CLONE_NEWTIME, 0))
                .excluding(Filter.caps("CAP_SYS_ADMIN")));
        // clone3's flags sit in a struct BPF cannot read: ENOSYS makes glibc fall back to clone.
        entries.add(ProfileEntry.of(Action.ENOSYS, List.of("clone3")).excluding(Filter.caps("CAP_SYS_ADMIN")));
        entries.add(ProfileEntry.of(allow, List.of("reboot")).including(Filter.caps("CAP_SYS_BOOT")));
        entries.add(ProfileEntry.of(allow, List.of("chroot")).including(Filter.caps("CAP_SYS_CHROOT")));
        entries.add(ProfileEntry.of(allow, List.of("delete_module", "init_module", "finit_module")).including(Filter.caps("CAP_SYS_MODULE")));
        entries.add(ProfileEntry.of(allow, List.of("acct")).including(Filter.caps("CAP_SYS_PACCT")));
        entries.add(ProfileEntry.of(allow, List.of("kcmp", "pidfd_getfd", "process_madvise", "process_vm_readv",
                "process_vm_writev", "ptrace")).including(Filter.caps("CAP_SYS_PTRACE")));
        entries.add(ProfileEntry.of(allow, List.of("iopl", "ioperm")).including(Filter.caps("CAP_SYS_RAWIO")));
        // jbox: adjtimex and clock_adjtime moved here from the general list.
        entries.add(ProfileEntry.of(allow, List.of("settimeofday", "stime", "clock_settime", "clock_settime64",
                "adjtimex", "clock_adjtime", "clock_adjtime64")).including(Filter.caps("CAP_SYS_TIME")));
        entries.add(ProfileEntry.of(allow, List.of("vhangup")).including(Filter.caps("CAP_SYS_TTY_CONFIG")));
        entries.add(ProfileEntry.of(allow, List.of("get_mempolicy", "mbind", "set_mempolicy", "set_mempolicy_home_node"))
                .including(Filter.caps("CAP_SYS_NICE")));
        entries.add(ProfileEntry.of(allow, List.of("syslog")).including(Filter.caps("CAP_SYSLOG")));
        entries.add(ProfileEntry.of(allow, List.of("bpf")).including(Filter.caps("CAP_BPF")));
        entries.add(ProfileEntry.of(allow, List.of("perf_event_open")).including(Filter.caps("CAP_PERFMON")));
        // jbox: terminal injection (TIOCSTI) and console selection/paste (TIOCLINUX).
        for (long request : new long[] {TIOCSTI, TIOCLINUX}) {
            entries.add(ProfileEntry.of(Action.EPERM, List.of("ioctl")).withArgs(ArgCondition.masked(1, 0xFFFFFFFFL, request)));
        }
        List<ProfileEntry> named = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) named.add(entries.get(i).withOrigin("default profile, entry " + i));
        return new SeccompProfile(NAME, Action.EPERM, Set.of(),
                Map.of(Abi.X86_64.scmpName, List.of(Abi.I386.scmpName, Abi.X32.scmpName),
                       Abi.AARCH64.scmpName, List.of("SCMP_ARCH_ARM")),
                named, 0);
    }
}
