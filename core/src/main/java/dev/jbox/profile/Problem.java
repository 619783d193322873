package dev.jbox.profile;

/** One thing wrong with a profile, at the place it was found. */
public record Problem(Origin origin, String message) {
    /** {@code FILE:LINE:COL: message}. */
    @Override
    public String toString() {
        return origin + ": " + message;
    }
}
