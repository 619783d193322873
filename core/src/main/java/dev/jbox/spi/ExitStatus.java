package dev.jbox.spi;

/**
 * How the workload ended: a normal exit with {@code code}, or killed by {@code signal}.
 * {@link #shellStatus()} is what a shell (and jbox's own exit) reports: code, or 128+signal.
 */
public record ExitStatus(int code, int signal, boolean coreDumped) {
    public static ExitStatus exited(int code) { return new ExitStatus(code, 0, false); }
    public static ExitStatus killed(int signal, boolean core) { return new ExitStatus(0, signal, core); }

    public boolean wasKilled() { return signal != 0; }

    public int shellStatus() { return signal != 0 ? 128 + signal : code; }
}
