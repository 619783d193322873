package dev.jbox.spec;

import java.util.Locale;

/** {@code --cgroup-manager}: which backend applies limits. */
public enum CgroupManager {
    /** systemd (user manager over D-Bus), then cgroupfs on a delegated subtree. */
    AUTO,
    SYSTEMD,
    CGROUPFS,
    /** No cgroup handling; requesting limits is then an error. */
    DISABLED;

    public static CgroupManager parse(String value) {
        for (CgroupManager m : values()) if (m.name().equalsIgnoreCase(value)) return m;
        throw new SpecException("--cgroup-manager " + value + ": expected auto, systemd, cgroupfs or disabled");
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
