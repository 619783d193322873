package dev.jbox.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop detached sandboxes: SIGTERM, then SIGKILL after a grace period.",
        footer = {"", "Examples:", "  jbox stop web", "  jbox stop -t 0 3f2a9c01b7e4      SIGKILL at once",
                "", "Waits until the monitor has recorded the exit status (see jbox ps -a)."})
final class StopCommand implements Callable<Integer> {
    @Option(names = {"-t", "--time"}, paramLabel = "SECONDS", description = "Seconds to wait before SIGKILL (default: the sandbox's --stop-timeout, 10).")
    Long seconds;

    @Parameters(paramLabel = "ID|NAME", arity = "1..*", description = "Sandboxes to stop.")
    List<String> refs;

    @Override
    public Integer call() {
        if (seconds != null && seconds < 0) throw new IllegalArgumentException("--time must not be negative");
        return Targets.each(refs, true, (sandboxes, s) -> {
            long grace = seconds != null ? seconds : s.state().stopTimeoutSeconds();
            if (sandboxes.stop(s, Duration.ofSeconds(grace)) && grace > 0) {
                System.err.println("jbox: warning: " + s.id() + " did not exit within " + grace + " s of SIGTERM; it was killed (SIGKILL)");
            }
        });
    }
}
