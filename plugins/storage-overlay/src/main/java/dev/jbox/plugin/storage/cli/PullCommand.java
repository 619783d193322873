package dev.jbox.plugin.storage.cli;

import dev.jbox.plugin.storage.ImageStore;
import dev.jbox.plugin.storage.PullProgress;
import dev.jbox.plugin.storage.store.ImageRecord;
import dev.jbox.plugin.storage.auth.Credentials;
import dev.jbox.plugin.storage.auth.RegistryAuth;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.function.Supplier;

@Command(name = "pull", mixinStandardHelpOptions = true,
        description = {"Copy an image from a registry into the local store.",
                "HTTPS, or plain HTTP for registries on localhost/127.0.0.1.",
                "Anonymous unless the registry asks for credentials: then those of --creds, else those podman, skopeo and docker"
                        + " keep ($REGISTRY_AUTH_FILE, $XDG_RUNTIME_DIR/containers/auth.json, ~/.config/containers/auth.json,"
                        + " ~/.docker/config.json, and their credential helpers).",
                "Prints the image ID."})
public final class PullCommand extends CopyCommand {
    @Parameters(paramLabel = "REF", description = "[registry/]name[:tag][@sha256:digest]; no registry means docker.io.")
    String reference;

    @Option(names = "--creds", paramLabel = "USER:PASS", description = "Credentials for the registry (instead of those in the auth files).")
    String creds;

    public PullCommand(Supplier<ImageStore> store) {
        super(store);
    }

    @Override
    ImageRecord copy(PullProgress progress) {
        RegistryAuth auth = RegistryAuth.fromEnvironment();
        return store().pull(reference, creds == null ? auth : auth.with(Credentials.parse(creds, "--creds")), progress);
    }
}
