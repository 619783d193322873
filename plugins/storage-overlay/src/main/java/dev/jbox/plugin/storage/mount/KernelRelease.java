package dev.jbox.plugin.storage.mount;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The running kernel's version, from {@code /proc/sys/kernel/osrelease} ("6.1.0-18-amd64"). */
public record KernelRelease(int major, int minor, String text) {
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+).*");

    /** Unprivileged overlayfs, with the {@code userxattr} option, came with Linux 5.11. */
    public boolean hasUnprivilegedOverlay() {
        return major > 5 || (major == 5 && minor >= 11);
    }

    public static KernelRelease parse(String text) {
        Matcher m = VERSION.matcher(text.strip());
        if (!m.matches()) throw new IllegalArgumentException("not a kernel release: " + text);
        return new KernelRelease(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), text.strip());
    }
}
