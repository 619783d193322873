package dev.jbox.plugin.storage.auth;

import dev.jbox.JboxException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A user name and password (or token) for a registry, and where they came from ({@code --creds},
 * an auth file, a credential helper) so that messages can say which ones a registry rejected.
 * {@link #toString()} never shows the secret.
 */
public record Credentials(String username, String password, String source) {
    /** {@code --creds USER:PASS}. */
    public static Credentials parse(String userColonPass, String source) {
        int colon = userColonPass.indexOf(':');
        if (colon <= 0) throw new JboxException("--creds: expected USER:PASS", "give the user name and the password (or token), separated by a colon");
        return new Credentials(userColonPass.substring(0, colon), userColonPass.substring(colon + 1), source);
    }

    /** An auth file's {@code "auth"} value: base64 of {@code user:password}. */
    static Credentials decode(String auth, String source) {
        String plain;
        try {
            plain = new String(Base64.getDecoder().decode(auth.strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new JboxException("reading " + source + ": its \"auth\" value is not base64", "log in again to rewrite it");
        }
        int colon = plain.indexOf(':');
        if (colon <= 0) throw new JboxException("reading " + source + ": its \"auth\" value is not user:password in base64", "log in again to rewrite it");
        return new Credentials(plain.substring(0, colon), plain.substring(colon + 1), source);
    }

    /** The {@code Authorization} header value for HTTP Basic authentication. */
    public String basicAuthorization() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "Credentials[" + username + " from " + source + "]";
    }
}
