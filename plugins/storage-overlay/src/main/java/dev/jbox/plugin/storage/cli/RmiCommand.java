package dev.jbox.plugin.storage.cli;

import dev.jbox.plugin.storage.ImageStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.function.Supplier;

@Command(name = "rmi", mixinStandardHelpOptions = true,
        description = {"Remove images from the local store.",
                "A name removes that tag, an ID every tag; the data goes with the last tag.",
                "Refused while a running or kept (named) sandbox uses the image."})
public final class RmiCommand extends StoreCommand {
    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "NAME[:TAG] or image ID (prefix).")
    List<String> images;

    public RmiCommand(Supplier<ImageStore> store) {
        super(store);
    }

    @Override
    public Integer call() {
        for (String image : images) {
            store().remove(image).forEach(out()::println);
            out().flush();
        }
        return 0;
    }
}
