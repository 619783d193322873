package dev.jbox.plugin.storage.auth;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * containers-auth.json(5), which is also Docker's {@code config.json} as far as credentials go:
 * {@code auths} by registry (base64 {@code user:password} in {@code auth}), {@code credHelpers} by
 * registry and a default {@code credsStore}, both naming a {@code docker-credential-<name>} program.
 */
record AuthFile(Map<String, Entry> auths, Map<String, String> credHelpers, String credsStore) {
    AuthFile {
        auths = auths == null ? Map.of() : auths;
        credHelpers = credHelpers == null ? Map.of() : credHelpers;
    }

    record Entry(@JsonProperty("auth") String auth, @JsonProperty("identitytoken") String identityToken) {}
}
