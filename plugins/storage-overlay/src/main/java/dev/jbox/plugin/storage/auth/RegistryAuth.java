package dev.jbox.plugin.storage.auth;

import dev.jbox.plugin.storage.oci.ImageReference;

import java.util.Optional;

/**
 * The credentials a pull may use for a registry: those given on the command line
 * ({@code --creds}), else those in the auth files. Looked up only when a registry asks for them,
 * so an anonymous pull runs no credential helper.
 */
public record RegistryAuth(Optional<Credentials> given, AuthFiles files) {
    public static RegistryAuth fromEnvironment() {
        return new RegistryAuth(Optional.empty(), AuthFiles.fromEnvironment());
    }

    public RegistryAuth with(Credentials explicit) {
        return new RegistryAuth(Optional.of(explicit), files);
    }

    public Optional<Credentials> forRegistry(ImageReference ref) {
        return given.isPresent() ? given : files.find(ref);
    }

    /** How to give credentials, for the message when there were none. */
    public String hint(ImageReference ref) {
        String login = files.env().get("REGISTRY_AUTH_FILE") != null
                ? "put them in $REGISTRY_AUTH_FILE (podman login --authfile \"$REGISTRY_AUTH_FILE\" " + ref.registry() + ")"
                : "log in with jbox login " + ref.registry() + " (or podman login, docker login: jbox reads what they store)";
        return login + ", or give them: jbox pull --creds USER:PASS " + ref;
    }
}
