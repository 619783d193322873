package dev.jbox;

import java.io.PrintStream;
import java.time.Instant;

/**
 * Where a start-up spends its time: {@code JBOX_TIMELINE=1 ./jbox run -- /bin/true} prints, at the
 * exit, each phase jbox marked with the milliseconds since the launcher script exec'd java (it
 * passes its clock as {@code -Djbox.timeline=<µs since the epoch>}) and since the previous mark.
 * Off (one static check per mark) unless that property is set; docs/bench.md reads its output.
 */
public final class StartupTimeline {
    private StartupTimeline() {}

    private static final long ORIGIN_MICROS = origin(System.getProperty("jbox.timeline"));
    private static final int MAX_MARKS = 64;
    private static final String[] PHASES = new String[MAX_MARKS];
    private static final long[] MICROS = new long[MAX_MARKS];
    private static int marks;

    /** Records that {@code phase} ended now (from any thread; the first 64 marks are kept). */
    public static void mark(String phase) {
        if (ORIGIN_MICROS < 0) return;
        Instant now = Instant.now();
        synchronized (PHASES) {
            if (marks == MAX_MARKS) return;
            PHASES[marks] = phase;
            MICROS[marks++] = now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
        }
    }

    /** Prints the marks so far, if the timeline is on. */
    public static void print(PrintStream out) {
        if (ORIGIN_MICROS < 0) return;
        mark("exit");
        synchronized (PHASES) {
            long previous = ORIGIN_MICROS;
            out.printf("jbox timeline (ms since exec java, +ms since the previous mark):%n");
            for (int i = 0; i < marks; i++) {
                out.printf("%8.1f %+7.1f  %s%n", (MICROS[i] - ORIGIN_MICROS) / 1000.0, (MICROS[i] - previous) / 1000.0, PHASES[i]);
                previous = MICROS[i];
            }
        }
    }

    static long origin(String property) {
        if (property == null) return -1;
        try {
            return Long.parseLong(property.replace(".", ""));  // bash's $EPOCHREALTIME: seconds.micros
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
