package dev.jbox.cli;

import dev.jbox.state.SignalNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "kill", mixinStandardHelpOptions = true, description = "Send a signal to detached sandboxes' workloads (default SIGKILL).",
        footer = {"", "Examples:", "  jbox kill web", "  jbox kill -s HUP web            reload", "  jbox kill -s SIGUSR1 3f2a9c01b7e4",
                "", "The workload is pid 1 of its sandbox: it receives only signals it has a handler for, and SIGKILL."})
final class KillCommand implements Callable<Integer> {
    @Option(names = {"-s", "--signal"}, paramLabel = "SIGNAL", description = "Name (TERM, SIGTERM) or number (15); default KILL.", defaultValue = "KILL")
    String signal;

    @Parameters(paramLabel = "ID|NAME", arity = "1..*", description = "Sandboxes to signal.")
    List<String> refs;

    @Override
    public Integer call() {
        int number = SignalNames.parse(signal);
        return Targets.each(refs, true, (sandboxes, s) -> sandboxes.kill(s, number));
    }
}
