package dev.jbox.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "completion", mixinStandardHelpOptions = true,
        description = "Print a shell completion script, generated from jbox's own command definitions.",
        footer = {"", "Examples:", "  source <(jbox completion bash)",
                "  jbox completion bash > ~/.local/share/bash-completion/completions/jbox"})
final class CompletionCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SHELL", description = "bash (zsh can load it with bashcompinit)")
    String shell;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "completion " + shell + ": expected bash or zsh");
        }
        System.out.print(AutoComplete.bash("jbox", spec.root().commandLine()));
        return 0;
    }
}
