package dev.jbox.linux;

/**
 * Landlock (Linux 5.13+): what jbox uses of it, and the probe of the running kernel's ABI version.
 * The launch chain makes the restricting calls itself; only the probe runs here, in the JVM.
 */
public final class Landlock {
    private Landlock() {}

    /** {@code landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION)} returns the ABI version. */
    public static final long CREATE_RULESET_VERSION = 1;
    /** {@code struct landlock_ruleset_attr.scoped}: no connecting to abstract unix sockets made outside the domain. */
    public static final long SCOPE_ABSTRACT_UNIX_SOCKET = 1;
    /** The first ABI version with {@code scoped} (Linux 6.12). */
    public static final int SCOPING_ABI = 6;

    private static final class Probe {
        static final int ABI = probe();
    }

    /** The running kernel's Landlock ABI version, 0 when Landlock is missing or disabled; probed once per JVM. */
    public static int abi() {
        return Probe.ABI;
    }

    /** Whether a kernel of this ABI version can scope abstract unix sockets. */
    public static boolean scopesAbstractUnixSockets(int abi) {
        return abi >= SCOPING_ABI;
    }

    /** The scopes of a {@code scoped} mask, for people: {@code abstract unix sockets}. */
    public static String scopeNames(long scoped) {
        String names = (scoped & SCOPE_ABSTRACT_UNIX_SOCKET) != 0 ? "abstract unix sockets" : "";
        long others = scoped & ~SCOPE_ABSTRACT_UNIX_SOCKET;
        if (others == 0) return names;
        return (names.isEmpty() ? "" : names + ", ") + "scopes 0x" + Long.toHexString(others);
    }

    /** ENOSYS (not built), EOPNOTSUPP (not enabled at boot), or a seccomp filter's EPERM: all mean none. */
    private static int probe() {
        long version = Syscall.callOrErrno(Sys.LANDLOCK_CREATE_RULESET, 0, 0, CREATE_RULESET_VERSION);
        return version > 0 ? (int) version : 0;
    }
}
