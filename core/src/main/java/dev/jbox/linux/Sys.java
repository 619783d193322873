package dev.jbox.linux;

/**
 * The system calls jbox makes, with their numbers per architecture. Raw numbers only: the
 * launch chain calls {@code syscall(nr, ...)} and never a glibc wrapper (DESIGN §2).
 */
public enum Sys {
    READ(0, 63),
    RT_SIGACTION(13, 134),
    WRITE(1, 64),
    CLOSE(3, 57),
    IOCTL(16, 29),
    DUP(32, 23),
    GETPID(39, 172),
    SOCKET(41, 198),
    EXECVE(59, 221),
    KILL(62, 129),
    FCNTL(72, 25),
    FLOCK(73, 32),
    CHDIR(80, 49),
    GETUID(102, 174),
    GETGID(104, 176),
    SETPGID(109, 154),
    SETSID(112, 157),
    SETGROUPS(116, 159),
    SETRESUID(117, 147),
    SETRESGID(119, 149),
    CAPGET(125, 90),
    CAPSET(126, 91),
    PIVOT_ROOT(155, 41),
    PRCTL(157, 167),
    MOUNT(165, 40),
    UMOUNT2(166, 39),
    SETHOSTNAME(170, 161),
    EXIT_GROUP(231, 94),
    WAITID(247, 95),
    OPENAT(257, 56),
    MKDIRAT(258, 34),
    MKNODAT(259, 33),
    UNLINKAT(263, 35),
    SYMLINKAT(266, 36),
    FCHMODAT(268, 53),
    PPOLL(271, 73),
    UNSHARE(272, 97),
    UTIMENSAT(280, 88),
    DUP3(292, 24),
    PIPE2(293, 59),
    SETNS(308, 268),
    SECCOMP(317, 277),
    STATX(332, 291),
    PIDFD_SEND_SIGNAL(424, 424),
    PIDFD_OPEN(434, 434),
    CLOSE_RANGE(436, 436),
    OPENAT2(437, 437),
    PIDFD_GETFD(438, 438),
    FACCESSAT2(439, 439),
    MOUNT_SETATTR(442, 442),
    LANDLOCK_CREATE_RULESET(444, 444),
    LANDLOCK_RESTRICT_SELF(446, 446);

    private final long x86_64;
    private final long aarch64;

    Sys(long x86_64, long aarch64) {
        this.x86_64 = x86_64;
        this.aarch64 = aarch64;
    }

    public long number(Arch arch) {
        return arch == Arch.X86_64 ? x86_64 : aarch64;
    }

    /** The name used in messages: {@code mount_setattr}, {@code pivot_root}. */
    public String callName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
