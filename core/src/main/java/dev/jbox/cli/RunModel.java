package dev.jbox.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * picocli's model of {@code jbox run}, built from {@link RunOptions} through picocli's
 * programmatic API (no annotations, no reflection). picocli keeps the parsed values in the model;
 * {@link #command} hands them to a {@link RunCommand} through the same table.
 */
final class RunModel {
    private RunModel() {}

    static CommandSpec spec() {
        Execution execution = new Execution();
        CommandSpec spec = CommandSpec.wrapWithoutInspection(execution).name(RunOptions.NAME);
        spec.usageMessage().description(RunOptions.DESCRIPTION).footer(RunOptions.FOOTER);
        for (RunOption o : RunOptions.ALL) spec.addOption(option(o));
        spec.addPositional(PositionalParamSpec.builder().paramLabel(RunOptions.COMMAND_LABEL).description(RunOptions.COMMAND_DESCRIPTION)
                .arity("0..*").type(List.class).auxiliaryTypes(String.class).build());
        spec.mixinStandardHelpOptions(true);  // after the options, as with @Command: completion lists them in this order
        execution.spec = spec;
        return spec;
    }

    private static OptionSpec option(RunOption o) {
        OptionSpec.Builder b = OptionSpec.builder(o.names().toArray(String[]::new)).description(o.description());
        if (o.label() != null) b.paramLabel(o.label());
        if (o.repeatable()) b.type(List.class).auxiliaryTypes(o.type());
        else b.type(o.type());
        return b.build();
    }

    /** The command picocli parsed into {@code spec}; {@code jboxArgs} is the whole command line. */
    static RunCommand command(CommandSpec spec, List<String> jboxArgs) {
        RunCommand run = new RunCommand(jboxArgs);
        for (RunOption o : RunOptions.ALL) {
            Object value = spec.findOption(o.longName()).getValue();
            if (value instanceof List<?> values) values.forEach(v -> o.apply().accept(run, v));
            else if (value != null) o.apply().accept(run, value);
        }
        List<String> command = spec.positionalParameters().getFirst().getValue();
        if (command != null) run.command.addAll(command);
        return run;
    }

    static boolean isRun(CommandSpec spec) {
        return spec.userObject() instanceof Execution;
    }

    /** What picocli calls when it has parsed a {@code jbox run} command line. */
    private static final class Execution implements Callable<Integer> {
        CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            return command(spec, spec.root().commandLine().getParseResult().originalArgs()).call();
        }
    }
}
