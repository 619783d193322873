package dev.jbox.plugin.storage.cli;

import dev.jbox.plugin.storage.ImageStore;
import dev.jbox.plugin.storage.PullProgress;
import dev.jbox.plugin.storage.store.ImageRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.function.Supplier;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Store an image from an archive: an OCI image layout (directory or tar) or a docker save tar.",
                "A NAME without registry is stored as localhost/NAME. Prints the image ID."})
public final class ImportCommand extends CopyCommand {
    @Parameters(index = "0", paramLabel = "FILE", description = "OCI layout directory, OCI archive tar, or docker save tar (may be gzip/zstd compressed).")
    Path file;

    @Parameters(index = "1", paramLabel = "NAME[:TAG]", description = "Name for the image; the tag also picks the image in an archive holding several.")
    String name;

    public ImportCommand(Supplier<ImageStore> store) {
        super(store);
    }

    @Override
    ImageRecord copy(PullProgress progress) {
        return store().importArchive(file, name, progress);
    }
}
