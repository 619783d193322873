package dev.jbox.linux.seccomp;

/** A kernel's major.minor version, as Docker's {@code minKernel} compares them. */
public record KernelVersion(int major, int minor) implements Comparable<KernelVersion> {
    public KernelVersion {
        if (major < 0 || minor < 0) throw new IllegalArgumentException("kernel version parts must not be negative");
    }

    /** Parses the start of a release string: {@code 6.18.44-fc-v657} → 6.18; null if it has no major.minor. */
    public static KernelVersion parseRelease(String release) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,5})\\.(\\d{1,5})").matcher(release);
        return m.lookingAt() ? new KernelVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))) : null;
    }

    /** The running kernel (from {@code uname -r}, which the JVM reports as {@code os.version}). */
    public static KernelVersion running() {
        KernelVersion v = parseRelease(System.getProperty("os.version", ""));
        return v != null ? v : new KernelVersion(0, 0);
    }

    @Override
    public int compareTo(KernelVersion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
