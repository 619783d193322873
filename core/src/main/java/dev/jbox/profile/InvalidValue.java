package dev.jbox.profile;

/**
 * A value of the right TOML type whose content is wrong ("512x" for a size); the reader turns it
 * into a {@link Problem} at the value's position. Internal to the profile package.
 */
final class InvalidValue extends RuntimeException {
    InvalidValue(String message) {
        super(message, null, false, false);
    }
}
