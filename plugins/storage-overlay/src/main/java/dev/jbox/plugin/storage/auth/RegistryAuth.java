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

    /** Where credentials could have come from, for the message when there were none. */
    public String hint(ImageReference ref) {
        return "log in first (podman login " + ref.registry() + ", or docker login: jbox reads their credentials from "
                + (files.env().get("REGISTRY_AUTH_FILE") != null ? "$REGISTRY_AUTH_FILE" : "$XDG_RUNTIME_DIR/containers/auth.json, ~/.config/containers/auth.json and ~/.docker/config.json")
                + "), or give them: jbox pull --creds USER:PASS " + ref;
    }
}
