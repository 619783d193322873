package dev.jbox.plugin.storage.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Human-readable sizes (SI, as podman prints them) and ages. */
public final class Units {
    private Units() {}

    private static final String[] SI = {"B", "kB", "MB", "GB", "TB"};

    public static String size(long bytes) {
        double v = bytes;
        int unit = 0;
        while (v >= 1000 && unit < SI.length - 1) {
            v /= 1000;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(java.util.Locale.ROOT, v < 10 ? "%.2f %s" : v < 100 ? "%.1f %s" : "%.0f %s", v, SI[unit]);
    }

    /** {@code 3 hours ago}; {@code created} is RFC 3339; unknown or unparsable gives {@code -}. */
    public static String age(String created, Instant now) {
        if (created == null) return "-";
        Instant then;
        try {
            then = Instant.parse(created);
        } catch (DateTimeParseException e) {
            return "-";
        }
        long s = Duration.between(then, now).getSeconds();
        if (s < 0) return "in the future";
        if (s < 60) return plural(s, "second");
        if (s < 3600) return plural(s / 60, "minute");
        if (s < 86400) return plural(s / 3600, "hour");
        if (s < 14 * 86400) return plural(s / 86400, "day");
        if (s < 60 * 86400) return plural(s / (7 * 86400), "week");
        if (s < 365 * 86400) return plural(s / (30 * 86400), "month");
        return plural(s / (365 * 86400), "year");
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s") + " ago";
    }
}
