package dev.jbox.plugin.cgroup;

import java.util.Locale;

/** Byte counts for people: 67108864 → "64 MiB". */
final class Sizes {
    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB"};

    private Sizes() {}

    static String human(long bytes) {
        if (bytes < 1024) return bytes + " bytes";
        int unit = 0;
        double value = bytes / 1024.0;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        String number = value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value);
        return number + " " + UNITS[unit];
    }
}
