package dev.jbox;

/**
 * A failure jbox itself reports: what was being done, to what, why, and (when known) how to fix it.
 * The CLI prints {@code jbox: <message> (<hint>)} and exits with {@link #exitCode()}.
 */
public class JboxException extends RuntimeException {
    /** jbox failed before or around the workload (podman's convention). */
    public static final int EXIT_JBOX = 125;
    /** The command was found but could not be executed. */
    public static final int EXIT_CANNOT_EXECUTE = 126;
    /** The command was not found inside the sandbox. */
    public static final int EXIT_NOT_FOUND = 127;

    private final int exitCode;
    private final String hint;

    public JboxException(String message) {
        this(message, null, EXIT_JBOX, null);
    }

    public JboxException(String message, String hint) {
        this(message, hint, EXIT_JBOX, null);
    }

    public JboxException(String message, String hint, int exitCode, Throwable cause) {
        super(message, cause);
        this.hint = hint;
        this.exitCode = exitCode;
    }

    public int exitCode() { return exitCode; }

    /** What the user can do about it, or null. */
    public String hint() { return hint; }

    /** The whole line the CLI prints, without the {@code jbox: } prefix. */
    public String userMessage() {
        return hint == null ? getMessage() : getMessage() + " (" + hint + ")";
    }
}
