package dev.jbox.cli;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * The training run of the launcher's AOT cache ({@code ./jbox}, docs/bench.md): what the cache
 * holds is what this run loads and links. It builds and renders picocli's model of jbox (help,
 * parse errors and every command but a plain run go through it), then runs {@code jbox run --
 * /bin/true} on the fast path. A cache trained on the run alone leaves {@code jbox --version}
 * and {@code jbox ps} ~35 ms slower, and one trained on both costs the run nothing measurable.
 */
public final class StartupTraining {
    private StartupTraining() {}

    public static void main(String[] args) {
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
        var cli = JboxCommand.commandLine();
        cli.usage(discard);
        cli.getSubcommands().get(RunOptions.NAME).usage(discard);
        cli.parseArgs("ps", "-a");
        System.exit(Main.run("run", "--", "/bin/true"));
    }
}
