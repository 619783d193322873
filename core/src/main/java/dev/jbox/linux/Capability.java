package dev.jbox.linux;

import dev.jbox.spec.Quote;
import dev.jbox.spec.SpecException;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Linux capabilities, declared in kernel order: {@link #number()} is the ordinal, the bit in
 * capability masks ({@code linux/capability.h}, checked by a test against the installed header).
 */
public enum Capability {
    CHOWN, DAC_OVERRIDE, DAC_READ_SEARCH, FOWNER, FSETID, KILL, SETGID, SETUID, SETPCAP,
    LINUX_IMMUTABLE, NET_BIND_SERVICE, NET_BROADCAST, NET_ADMIN, NET_RAW, IPC_LOCK, IPC_OWNER,
    SYS_MODULE, SYS_RAWIO, SYS_CHROOT, SYS_PTRACE, SYS_PACCT, SYS_ADMIN, SYS_BOOT, SYS_NICE,
    SYS_RESOURCE, SYS_TIME, SYS_TTY_CONFIG, MKNOD, LEASE, AUDIT_WRITE, AUDIT_CONTROL, SETFCAP,
    MAC_OVERRIDE, MAC_ADMIN, SYSLOG, WAKE_ALARM, BLOCK_SUSPEND, AUDIT_READ, PERFMON, BPF,
    CHECKPOINT_RESTORE;

    /** The word {@code --cap-add}/{@code --cap-drop} accept for every capability. */
    public static final String ALL = "ALL";

    /** Docker's (and podman's) default bounding set for containers. */
    public static final Set<Capability> DOCKER_DEFAULT = java.util.Collections.unmodifiableSet(EnumSet.of(
            CHOWN, DAC_OVERRIDE, FSETID, FOWNER, MKNOD, NET_RAW, SETGID, SETUID, SETFCAP, SETPCAP,
            NET_BIND_SERVICE, SYS_CHROOT, KILL, AUDIT_WRITE));

    /** The kernel's number for this capability. */
    public int number() {
        return ordinal();
    }

    /** This capability's bit in a 64-bit capability mask. */
    public long bit() {
        return 1L << ordinal();
    }

    /** The kernel's name: {@code CAP_NET_RAW}. */
    public String capName() {
        return "CAP_" + name();
    }

    /**
     * Parses {@code NET_RAW}, {@code cap_net_raw}, {@code Cap_Net_Raw}; {@code ALL} is not a
     * capability and is handled by the caller.
     *
     * @throws SpecException naming the word and listing the valid ones
     */
    public static Capability parse(String word) {
        String upper = word.strip().toUpperCase(Locale.ROOT);
        String bare = upper.startsWith("CAP_") ? upper.substring(4) : upper;
        for (Capability c : values()) {
            if (c.name().equals(bare)) return c;
        }
        throw new SpecException("unknown capability " + Quote.of(word) + ": expected ALL or one of "
                + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "))
                + " (with or without CAP_, any case)");
    }

    /** Whether {@code word} is {@link #ALL} in any case. */
    public static boolean isAll(String word) {
        return word.strip().equalsIgnoreCase(ALL);
    }

    /** The capabilities whose bits are set in {@code mask}. */
    public static Set<Capability> ofMask(long mask) {
        Set<Capability> set = EnumSet.noneOf(Capability.class);
        for (Capability c : values()) {
            if ((mask & c.bit()) != 0) set.add(c);
        }
        return set;
    }

    /** The mask with the bits of {@code caps}. */
    public static long maskOf(Set<Capability> caps) {
        long mask = 0;
        for (Capability c : caps) mask |= c.bit();
        return mask;
    }
}
