package dev.jbox.linux.seccomp;

/** A kernel's major.minor version, as Docker's {@code minKernel} compares them. */
public record KernelVersion(int major, int minor) implements Comparable<KernelVersion> {
    public KernelVersion {
        if (major < 0 || minor < 0) throw new IllegalArgumentException("kernel version parts must not be negative");
    }

    /** Parses the start of a release string: {@code 6.18.44-fc-v657} → 6.18; null if it has no major.minor. */
    public static KernelVersion parseRelease(String release) {
        int dot = release.indexOf('.');
        int end = dot + 1;
        while (end < release.length() && Character.isDigit(release.charAt(end))) end++;
        if (dot < 1 || dot > 5 || end == dot + 1 || end - dot > 6) return null;
        for (int i = 0; i < dot; i++) {
            if (!Character.isDigit(release.charAt(i))) return null;
        }
        return new KernelVersion(Integer.parseInt(release, 0, dot, 10), Integer.parseInt(release, dot + 1, end, 10));
    }

    /** The running kernel (from {@code uname -r}, which the JVM reports as {@code os.version}). */
    public static KernelVersion running() {
        return Running.VERSION;
    }

    private static final class Running {
        static final KernelVersion VERSION = parseOrZero(System.getProperty("os.version", ""));

        private static KernelVersion parseOrZero(String release) {
            KernelVersion v = parseRelease(release);
            return v != null ? v : new KernelVersion(0, 0);
        }
    }

    @Override
    public int compareTo(KernelVersion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public boolean equals(Object o) {   // written out for the same reason as Sandbox's
        return o instanceof KernelVersion v && major == v.major && minor == v.minor;
    }

    @Override
    public int hashCode() {
        return major * 1000 + minor;
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
