package dev.jbox.plugin.storage;

import dev.jbox.JboxException;
import dev.jbox.plugin.storage.cli.Progressbars;
import dev.jbox.plugin.storage.store.StoreLayout;

import java.io.PrintWriter;
import java.nio.file.Path;

/** A second jbox process for the concurrency tests: {@code PullMain STORE REF} pulls and exits 0, or 125. */
public final class PullMain {
    private PullMain() {}

    public static void main(String[] args) {
        try {
            ImageStore store = new ImageStore(new StoreLayout(Path.of(args[0])));
            store.pull(args[1], Progressbars.forStream(new PrintWriter(System.out, true), false));
            System.exit(0);
        } catch (JboxException e) {
            System.out.println("jbox: " + e.userMessage());
            System.exit(e.exitCode());
        }
    }
}
