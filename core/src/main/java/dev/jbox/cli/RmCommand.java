package dev.jbox.cli;

import dev.jbox.state.SandboxView;
import dev.jbox.state.Sandboxes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove detached sandboxes: their state and log.",
        footer = {"", "Examples:", "  jbox rm web", "  jbox rm -f web                  kill it first if it runs", "  jbox rm -a                      every exited sandbox"})
final class RmCommand implements Callable<Integer> {
    @Option(names = {"-f", "--force"}, description = "Remove running sandboxes too (SIGKILL first).")
    boolean force;

    @Option(names = {"-a", "--all"}, description = "Remove all sandboxes (running ones only with -f).")
    boolean all;

    @Parameters(paramLabel = "ID|NAME", arity = "0..*", description = "Sandboxes to remove.")
    List<String> refs = new ArrayList<>();

    @Override
    public Integer call() {
        List<String> targets = new ArrayList<>(refs);
        if (all) Sandboxes.live().list().stream().filter(s -> force || !s.isRunning()).map(SandboxView::id).forEach(targets::add);
        if (targets.isEmpty() && !all) throw new IllegalArgumentException("give the sandboxes to remove (ID or NAME), or -a");
        return Targets.each(targets, true, (sandboxes, s) -> sandboxes.remove(s, force));
    }
}
