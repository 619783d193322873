package dev.jbox.profile;

import dev.jbox.spec.SpecException;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them: {@code 10s}, {@code 500ms}, {@code 1m30s}, {@code 2h}. */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d{1,18})(ms|s|m|h)");

    private Durations() {}

    /** Parses a sequence of number+unit parts (ms, s, m, h); also usable for CLI flags. */
    public static Duration parse(String text) {
        try {
            return checked(sum(text), text);
        } catch (ArithmeticException e) {
            throw new SpecException("\"" + text + "\" is too long a duration");
        }
    }

    /** {@code d} if it can be counted in milliseconds (what timers take), else a SpecException quoting {@code written}. */
    public static Duration checked(Duration d, String written) {
        try {
            d.toMillis();
            return d;
        } catch (ArithmeticException e) {
            throw new SpecException("\"" + written + "\" is too long a duration");
        }
    }

    private static Duration sum(String text) {
        Matcher m = PART.matcher(text.trim());
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            });
            end = m.end();
        }
        if (end == 0 || end != text.trim().length()) {
            throw new SpecException("\"" + text + "\" is not a duration: expected e.g. \"10s\", \"500ms\", \"1m30s\"");
        }
        return total;
    }

    /** The shortest exact form: {@code 10s}, {@code 1500ms}, {@code 2m}, {@code 1h30m}. */
    public static String format(Duration d) {
        if (d.isZero()) return "0s";
        if (d.toMillisPart() != 0 || d.toNanosPart() % 1_000_000 != 0) return d.toMillis() + "ms";
        StringBuilder out = new StringBuilder();
        if (d.toHours() > 0) out.append(d.toHours()).append('h');
        if (d.toMinutesPart() > 0) out.append(d.toMinutesPart()).append('m');
        if (d.toSecondsPart() > 0) out.append(d.toSecondsPart()).append('s');
        return out.toString();
    }
}
