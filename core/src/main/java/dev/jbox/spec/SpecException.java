package dev.jbox.spec;

/** A sandbox description that cannot be run as given; the message names the field and the fix. */
public class SpecException extends IllegalArgumentException {
    public SpecException(String message) {
        super(message);
    }
}
