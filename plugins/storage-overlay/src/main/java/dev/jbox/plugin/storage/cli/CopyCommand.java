package dev.jbox.plugin.storage.cli;

import dev.jbox.plugin.storage.ImageStore;
import dev.jbox.plugin.storage.PullProgress;
import dev.jbox.plugin.storage.store.ImageRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.function.Supplier;

/** A command that copies an image into the store (pull, import): progress on stderr, the image ID on stdout. */
@Command
abstract class CopyCommand extends StoreCommand {
    @Option(names = {"-q", "--quiet"}, description = "No progress output.")
    boolean quiet;

    CopyCommand(Supplier<ImageStore> store) {
        super(store);
    }

    abstract ImageRecord copy(PullProgress progress);

    @Override
    public Integer call() {
        ImageRecord image = copy(progress(quiet));
        out().println(image.config().hex());
        out().flush();
        return 0;
    }
}
