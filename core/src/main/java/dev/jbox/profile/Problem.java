package dev.jbox.profile;

/** One thing wrong with a profile, at the place it was found. */
public record Problem(Origin origin, String message) {
    /**
     * A problem whose message may quote the file or a path from it (SandboxSpec's messages echo
     * values whole): control characters are escaped, so one problem is always one line.
     */
    static Problem of(Origin origin, String message) {
        String oneLine = Texts.oneLine(message);
        return new Problem(origin, oneLine.length() > 2000 ? oneLine.substring(0, 1999) + "…" : oneLine);
    }

    /** {@code FILE:LINE:COL: message}. */
    @Override
    public String toString() {
        return origin + ": " + message;
    }
}
