package dev.jbox.cli;

import dev.jbox.JboxException;
import dev.jbox.plugins.Plugins;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;

/** The {@code jbox} command line as picocli parses it: help, completion, errors and every command but a plain run. */
@Command(name = "jbox", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Rootless sandboxes for Linux.",
        footer = {"", "Examples:", "  jbox run -- id", "  jbox run --rootfs ./rootfs -v $PWD:/src:ro -w /src -- make test", "  jbox doctor"})
final class JboxCommand {
    @Option(names = "--log-level", description = "error, warn, info, debug (default: warn)", defaultValue = "warn", scope = CommandLine.ScopeType.INHERIT)
    void logLevel(String level) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
    }

    /** jbox's own subcommands, in the order help lists them. */
    private static List<Object> subcommands() {
        return List.of(RunModel.spec(), new PsCommand(), new StopCommand(), new KillCommand(), new RmCommand(), new InspectCommand(),
                new LogsCommand(), new StatsCommand(), new InfoCommand(), new DoctorCommand(), new ProfileCommand(), new CompletionCommand(),
                new CommandLine.HelpCommand());
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new JboxCommand());
        for (Object command : subcommands()) cli.addSubcommand(command);
        return cli;
    }

    static int execute(String... args) {
        CommandLine cli = commandLine();
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
        CommandLine.ParseResult parsed = commandLine().parseArgs(args);
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
