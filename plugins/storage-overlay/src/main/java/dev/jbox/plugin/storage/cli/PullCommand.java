package dev.jbox.plugin.storage.cli;

import dev.jbox.plugin.storage.ImageStore;
import dev.jbox.plugin.storage.PullProgress;
import dev.jbox.plugin.storage.store.ImageRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.function.Supplier;

@Command(name = "pull", mixinStandardHelpOptions = true,
        description = {"Copy an image from a registry into the local store.",
                "HTTPS, or plain HTTP for registries on localhost/127.0.0.1; anonymous or token authentication.",
                "Prints the image ID."})
public final class PullCommand extends CopyCommand {
    @Parameters(paramLabel = "REF", description = "[registry/]name[:tag][@sha256:digest]; no registry means docker.io.")
    String reference;

    public PullCommand(Supplier<ImageStore> store) {
        super(store);
    }

    @Override
    ImageRecord copy(PullProgress progress) {
        return store().pull(reference, progress);
    }
}
