package dev.jbox.plugin.storage;

import dev.jbox.JboxException;
import picocli.CommandLine;

/**
 * A stand-in for the {@code jbox} CLI until the core wires {@link StorageCommands} in: the plugin's
 * commands under a root command, JboxException mapped to {@code jbox: message} and its exit code.
 * Used to produce the real output shown in docs/images.md.
 */
public final class ImageCli {
    private ImageCli() {}

    @CommandLine.Command(name = "jbox", mixinStandardHelpOptions = true)
    static final class Root {}

    public static void main(String[] args) {
        CommandLine jbox = new CommandLine(new Root());
        for (Object command : new StorageCommands().commands()) jbox.addSubcommand(command);
        jbox.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (!(e instanceof JboxException j)) throw e;
            cmd.getErr().println("jbox: " + j.userMessage());
            return j.exitCode();
        });
        System.exit(jbox.execute(args));
    }
}
