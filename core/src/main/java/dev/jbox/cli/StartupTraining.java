package dev.jbox.cli;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * The training runs of the launcher's three AOT caches ({@code ./jbox}, docs/bench.md): what a cache
 * holds is what its training loads and links, and the JVM loads all of it before {@code main}.
 * <ul>
 * <li>{@code run}: {@code jbox run -- /bin/true} on the fast path, then with a directory root, a
 * bind and a tmpfs, then on the host's network, for command lines starting with {@code run}. It
 * must not touch picocli: its class files (version 49) are never cached, and every cached class
 * whose verification involves a picocli type makes the JVM load that type from the jar at
 * start-up, opening every jar before it on the class path (~12 ms).
 * <li>{@code plugins IMAGE}: {@code jbox run --image IMAGE -- /bin/true}, for run command lines
 * naming an option a plugin serves (an image, a network, limits). It loads the plugins, whose
 * classes (jackson-databind among them) the cache then serves too: {@code run --image} 390 ->
 * 236 ms; trained into the run cache instead, it would make every plain run ~13 ms slower.
 * The image ({@code ./jbox} imports a one-file image into a scratch store) need not hold
 * {@code /bin/true}: what happens before the exec is what counts.
 * <li>{@code cli}: picocli's model of jbox, its help and a parse of {@code ps} (every command but a
 * plain run goes through it), then a run parsed by picocli. Without it {@code jbox --version} and
 * {@code jbox ps} start 30-50 ms slower.
 * </ul>
 */
public final class StartupTraining {
    private StartupTraining() {}

    public static void main(String[] args) {
        String mode = args.length >= 1 ? args[0] : "";
        switch (mode) {
            case "run" -> {
                int status = Main.run("run", "--", "/bin/true");
                // A directory root (the host's own /: always there), a bind and a tmpfs: the most
                // common options, whose classes would otherwise be read from the jar.
                if (status == 0) status = Main.run("run", "--rootfs", "/", "-v", "/tmp:/tmp:ro", "--tmpfs", "/run", "--", "/bin/true");
                // The host's network: its Landlock probe and step (./jbox gives it this cache too).
                if (status == 0) status = Main.run("run", "--network", "host", "--", "/bin/true");
                System.exit(status);
            }
            case "plugins" -> System.exit(Main.run("run", "--image", args[1], "--", "/bin/true"));
            case "cli" -> {
                PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
                var cli = JboxCommand.commandLine();
                cli.usage(discard);
                cli.getSubcommands().get(RunOptions.NAME).usage(discard);
                cli.parseArgs("ps", "-a");
                System.exit(Main.run(JboxCommand.LOG_LEVEL, "warn", "run", "--", "/bin/true"));
            }
            default -> {
                System.err.println("usage: StartupTraining run | plugins IMAGE | cli");
                System.exit(2);
            }
        }
    }
}
