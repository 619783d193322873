package dev.jbox.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads {@code /proc/PID/stat} (or the same layout under another root, for tests): whether a pid
 * is still the process jbox started. A pid is identified by the pair (pid, start time), since the
 * kernel hands a freed pid to the next process that asks.
 */
public final class ProcFs {
    public static final ProcFs LIVE = new ProcFs(Path.of("/proc"));

    /** The two fields jbox needs: the state letter (field 3) and the start time (field 22, clock ticks after boot). */
    public record Stat(char state, long startTime) {
        /** A zombie ('Z') or dead ('X') process has exited already; only its reaping is pending. */
        public boolean exited() {
            return state == 'Z' || state == 'X';
        }
    }

    private final Path root;

    public ProcFs(Path root) {
        this.root = root;
    }

    /** The process's stat, or empty if there is no such pid. */
    public Optional<Stat> stat(long pid) {
        if (pid <= 0) return Optional.empty();
        try {
            return Optional.of(parseStat(Files.readString(root.resolve(Long.toString(pid)).resolve("stat"))));
        } catch (IOException e) {  // NoSuchFileException, or ESRCH while the process goes away
            return Optional.empty();
        }
    }

    /** True if {@code pid} runs and is the process that started at {@code startTime}; an unknown (0) start time never matches. */
    public boolean isRunning(long pid, long startTime) {
        return startTime != 0 && stat(pid).filter(s -> s.startTime() == startTime && !s.exited()).isPresent();
    }

    /** Start time of a process that runs now, or 0 if it is gone already. */
    public long startTime(long pid) {
        return stat(pid).filter(s -> !s.exited()).map(Stat::startTime).orElse(0L);
    }

    /**
     * {@code pid (comm) S ppid … starttime …}: comm may hold spaces and parentheses, so fields are
     * counted from the last ')'.
     */
    static Stat parseStat(String line) {
        int close = line.lastIndexOf(')');
        if (close < 0) throw new IllegalArgumentException("/proc stat without (comm): " + line);
        String[] f = line.substring(close + 1).trim().split(" +");
        if (f.length < 20) throw new IllegalArgumentException("/proc stat with " + (f.length + 2) + " fields: " + line);
        return new Stat(f[0].charAt(0), Long.parseLong(f[19]));  // f[0] is field 3, so field 22 is f[19]
    }
}
