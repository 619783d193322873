package dev.jbox.plugin.storage;

import dev.jbox.plugin.storage.cli.ImagesCommand;
import dev.jbox.plugin.storage.cli.ImportCommand;
import dev.jbox.plugin.storage.cli.LoginCommand;
import dev.jbox.plugin.storage.cli.LogoutCommand;
import dev.jbox.plugin.storage.cli.PullCommand;
import dev.jbox.plugin.storage.cli.RmiCommand;
import dev.jbox.spi.CommandProvider;
import org.pf4j.Extension;

import java.util.List;
import java.util.function.Supplier;

/** The plugin's CLI commands: {@code images}, {@code pull}, {@code import}, {@code rmi}, {@code login}, {@code logout}. */
@Extension
public final class StorageCommands implements CommandProvider {
    private final Supplier<ImageStore> store;

    public StorageCommands() {
        this(Lazy.of(ImageStore::openDefault));
    }

    public StorageCommands(Supplier<ImageStore> store) {
        this.store = store;
    }

    @Override
    public List<Object> commands() {
        return List.of(new ImagesCommand(store), new PullCommand(store), new ImportCommand(store), new RmiCommand(store),
                new LoginCommand(), new LogoutCommand());
    }
}
