package dev.jbox.cli;

import dev.jbox.JboxException;
import dev.jbox.plugins.Plugins;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code jbox} command line: a thin layer over {@link dev.jbox.Sandbox}. */
@Command(name = "jbox", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Rootless sandboxes for Linux.",
        subcommands = {RunCommand.class, PsCommand.class, StopCommand.class, KillCommand.class, RmCommand.class, InspectCommand.class,
                LogsCommand.class, StatsCommand.class, InfoCommand.class, DoctorCommand.class, ProfileCommand.class, CompletionCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Examples:", "  jbox run -- id", "  jbox run --rootfs ./rootfs -v $PWD:/src:ro -w /src -- make test", "  jbox doctor"})
public final class Main {
    @Option(names = "--log-level", description = "error, warn, info, debug (default: warn)", defaultValue = "warn", scope = CommandLine.ScopeType.INHERIT)
    void logLevel(String level) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        // Before anything logs (plugin loading may precede parsing): slf4j-simple reads its level once.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", logLevelIn(args));
        // dbus-java announces its transport at INFO on every limited run: quiet by default.
        if (System.getProperty("org.slf4j.simpleLogger.log.org.freedesktop.dbus") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.org.freedesktop.dbus", "warn");
        }
        CommandLine cli = new CommandLine(new Main());
        if (wantsPluginCommands(cli, args)) {
            for (Object command : Plugins.fromEnvironment().commands()) cli.addSubcommand(command);
        }
        cli.setExecutionExceptionHandler(Main::report);
        cli.setParameterExceptionHandler((e, a) -> {
            System.err.println("jbox: " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, System.err);
            System.err.println("(see: " + e.getCommandLine().getCommandSpec().qualifiedName() + " --help)");
            return JboxException.EXIT_JBOX;
        });
        cli.setExitCodeExceptionMapper(t -> JboxException.EXIT_JBOX);
        return cli.execute(args);
    }

    /** The value of --log-level among the arguments (before any --), else warn: quiet by default. */
    static String logLevelIn(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--")) break;
            if (args[i].startsWith("--log-level=")) return args[i].substring("--log-level=".length());
            if (args[i].equals("--log-level") && i + 1 < args.length) return args[i + 1];
        }
        return "warn";
    }

    /**
     * PF4J starts only when it can matter: for a subcommand jbox itself does not have (images,
     * pull, …) or for the top-level help. A plain {@code jbox run} never loads a plugin it does not need.
     */
    private static boolean wantsPluginCommands(CommandLine cli, String[] args) {
        for (String arg : args) {
            if (arg.equals("--")) return false;
            if (arg.startsWith("-")) continue;
            return !cli.getSubcommands().containsKey(arg) || arg.equals("help");
        }
        return true;
    }

    /** jbox's errors are one line, never a stack trace (unless --log-level debug). */
    private static int report(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        if (e instanceof JboxException j) {
            System.err.println("jbox: " + j.userMessage());
            if (isDebug()) j.printStackTrace();
            return j.exitCode();
        }
        if (e instanceof IllegalArgumentException i) {  // SpecException and other validation failures
            System.err.println("jbox: " + i.getMessage());
            return JboxException.EXIT_JBOX;
        }
        System.err.println("jbox: internal error: " + e + " (please report it; --log-level debug shows the stack)");
        if (isDebug()) e.printStackTrace();
        return JboxException.EXIT_JBOX;
    }

    private static boolean isDebug() {
        return "debug".equals(System.getProperty("org.slf4j.simpleLogger.defaultLogLevel"));
    }
}
