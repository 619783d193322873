package dev.jbox.cli;

import dev.jbox.JboxException;
import dev.jbox.plugins.Plugins;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** The {@code jbox} command line as picocli parses it: help, completion, errors and every command but a plain run. */
@Command(name = "jbox", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Rootless sandboxes for Linux.",
        footer = {"", "Examples:", "  jbox run -- id", "  jbox run --rootfs ./rootfs -v $PWD:/src:ro -w /src -- make test", "  jbox doctor"})
final class JboxCommand {
    /** jbox's one option with a value; every subcommand inherits it. */
    static final String LOG_LEVEL = "--log-level";

    @Option(names = LOG_LEVEL, description = "error, warn, info, debug (default: warn)", defaultValue = "warn", scope = CommandLine.ScopeType.INHERIT)
    void logLevel(String level) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
    }

    /**
     * jbox's own subcommands by name, in the order help lists them. Each is built only when the
     * command line can need it: picocli's model of all of them costs a cold start ~20 ms.
     */
    static final List<Map.Entry<String, Supplier<Object>>> SUBCOMMANDS = List.of(
            Map.entry(RunOptions.NAME, RunModel::spec), Map.entry("ps", PsCommand::new), Map.entry("stop", StopCommand::new),
            Map.entry("kill", KillCommand::new), Map.entry("rm", RmCommand::new), Map.entry("inspect", InspectCommand::new),
            Map.entry("logs", LogsCommand::new), Map.entry("stats", StatsCommand::new), Map.entry("info", InfoCommand::new),
            Map.entry("doctor", DoctorCommand::new), Map.entry("profile", ProfileCommand::new),
            Map.entry("completion", CompletionCommand::new), Map.entry("help", JboxCommand::helpCommand));

    /**
     * Not {@code CommandLine.HelpCommand::new}: JDK 25 crashes making the AOT cache when an
     * archived lambda's target is a class it cannot archive (picocli's are class-file version 49).
     */
    private static Object helpCommand() {
        return new CommandLine.HelpCommand();
    }

    /** Needs every subcommand: completion scripts and help list them all. */
    private static final Set<String> NEEDS_ALL = Set.of("completion", "help");

    /** The model of jbox with every subcommand. */
    static CommandLine commandLine() {
        return commandLine(null);
    }

    /**
     * The model of jbox for {@code args}: with only the subcommand they name when it is one of
     * jbox's own, else (top-level help, a typo picocli suggests a fix for, a plugin's command)
     * with all of them.
     */
    static CommandLine commandLine(String[] args) {
        String named = args == null ? null : ownSubcommandIn(args);
        CommandLine cli = new CommandLine(new JboxCommand());
        for (Map.Entry<String, Supplier<Object>> subcommand : SUBCOMMANDS) {
            if (named == null || named.equals(subcommand.getKey())) cli.addSubcommand(subcommand.getKey(), subcommand.getValue().get());
        }
        // --log-level info is a level, not the info subcommand.
        cli.setAllowSubcommandsAsOptionParameters(true);
        return cli;
    }

    /** The first word that is not an option, if it names one of jbox's own subcommands that needs no other. */
    private static String ownSubcommandIn(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals(LOG_LEVEL)) i++;  // and its value
            if (arg.startsWith("-")) continue;
            boolean own = SUBCOMMANDS.stream().anyMatch(s -> s.getKey().equals(arg));
            return own && !NEEDS_ALL.contains(arg) ? arg : null;
        }
        return null;
    }

    static int execute(String... args) {
        CommandLine cli = commandLine(args);
        if (wantsPluginCommands(cli, args)) {
            for (Object command : Plugins.fromEnvironment().commands()) cli.addSubcommand(command);
        }
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> Main.report(e));
        cli.setParameterExceptionHandler((e, a) -> {
            System.err.println("jbox: " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, System.err);
            System.err.println("(see: " + e.getCommandLine().getCommandSpec().qualifiedName() + " --help)");
            return JboxException.EXIT_JBOX;
        });
        cli.setExitCodeExceptionMapper(t -> JboxException.EXIT_JBOX);
        return cli.execute(args);
    }

    /** The run command a whole jbox command line describes (a detached sandbox's monitor gets such a line). */
    static RunCommand parseRun(String... args) {
        CommandLine.ParseResult parsed = commandLine(args).parseArgs(args);
        if (!parsed.hasSubcommand() || !RunModel.isRun(parsed.subcommand().commandSpec())) {
            throw new IllegalArgumentException("the monitor expects jbox run arguments, got " + List.of(args));
        }
        return RunModel.command(parsed.subcommand().commandSpec(), List.of(args));
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
}
