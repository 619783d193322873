package dev.jbox.state;

/**
 * The one line a monitor sends back to {@code jbox run -d} over its stdout pipe: the sandbox
 * started, or why it did not (with the exit status the foreground should end with).
 */
public sealed interface Report {
    record Started() implements Report {
        @Override
        public String line() {
            return "started";
        }
    }

    record Failed(int exitCode, String message) implements Report {
        @Override
        public String line() {
            return "failed " + exitCode + " " + message.replace('\n', ' ');
        }
    }

    /** The line to send: {@code started} or {@code failed <status> <message>} (the message on one line). */
    String line();

    static Report parse(String line) {
        if (line.equals("started")) return new Started();
        String[] parts = line.split(" ", 3);
        if (parts.length == 3 && parts[0].equals("failed")) {
            try {
                return new Failed(Integer.parseInt(parts[1]), parts[2]);
            } catch (NumberFormatException e) {
                // Reported below.
            }
        }
        throw new IllegalArgumentException("unexpected report from the sandbox monitor: " + line);
    }
}
