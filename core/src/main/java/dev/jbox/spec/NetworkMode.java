package dev.jbox.spec;

import java.util.Locale;

/** The sandbox's network. */
public enum NetworkMode {
    /** A new network namespace with only loopback (the default). */
    NONE,
    /** The host's network namespace. */
    HOST,
    /** Userspace networking through slirp4netns (net-slirp plugin). */
    SLIRP,
    /** Userspace networking through pasta (net-slirp plugin). */
    PASTA,
    /** pasta when installed, else slirp4netns. */
    AUTO;

    public static NetworkMode parse(String value) {
        for (NetworkMode m : values()) {
            if (m.name().equalsIgnoreCase(value) || (m == SLIRP && value.equalsIgnoreCase("slirp4netns"))) return m;
        }
        throw new SpecException("--network " + value + ": expected one of none, host, slirp, pasta, auto");
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the sandbox gets a network namespace of its own. */
    public boolean ownNamespace() {
        return this != HOST;
    }

    /** Whether a network plugin must attach to the sandbox. */
    public boolean needsPlugin() {
        return this == SLIRP || this == PASTA || this == AUTO;
    }
}
