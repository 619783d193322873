package dev.jbox.plugin.storage.cli;

import dev.jbox.plugin.storage.ImageStore;
import dev.jbox.plugin.storage.PullProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** What the image commands share: the store (opened on first use) and the command's streams. */
@Command
abstract class StoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private final Supplier<ImageStore> store;

    StoreCommand(Supplier<ImageStore> store) {
        this.store = store;
    }

    ImageStore store() {
        return store.get();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Progress on stderr: bars on a terminal, lines otherwise, nothing with {@code quiet}. */
    PullProgress progress(boolean quiet) {
        if (quiet) return PullProgress.NONE;
        return Progressbars.forStream(spec.commandLine().getErr(), Progressbars.onTerminal());
    }
}
