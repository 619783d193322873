package dev.jbox.cli;

import dev.jbox.doctor.Check;
import dev.jbox.doctor.HostChecks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "doctor", mixinStandardHelpOptions = true, description = "Check this host for what jbox needs; print OK / WARN / FAIL with the fix for each.",
        footer = {"", "Examples:", "  jbox doctor", "  jbox doctor --format json"})
final class DoctorCommand implements Callable<Integer> {
    @Option(names = "--format", paramLabel = "FORMAT", description = "text (default) or json", defaultValue = "text")
    String format;

    @Override
    public Integer call() {
        List<Check> checks = HostChecks.run();
        if (format.equals("json")) {
            System.out.println(Check.toJson(checks));
        } else {
            for (Check c : checks) System.out.println(c.render());
        }
        return checks.stream().anyMatch(c -> c.status() == Check.Status.FAIL) ? 1 : 0;
    }
}
