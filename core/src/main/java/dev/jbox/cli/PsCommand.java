package dev.jbox.cli;

import dev.jbox.state.Json;
import dev.jbox.state.SandboxState;
import dev.jbox.state.SandboxView;
import dev.jbox.state.Sandboxes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "ps", mixinStandardHelpOptions = true, description = "List detached sandboxes (running ones; -a for all).",
        footer = {"", "Examples:", "  jbox ps", "  jbox ps -a", "  jbox ps -aq | xargs jbox rm -f", "  jbox ps --format json"})
final class PsCommand implements Callable<Integer> {
    private static final int COMMAND_WIDTH = 40;

    @Option(names = {"-a", "--all"}, description = "Show exited sandboxes too.")
    boolean all;

    @Option(names = {"-q", "--quiet"}, description = "Print the ids only.")
    boolean quiet;

    @Option(names = "--format", paramLabel = "FORMAT", description = "table (default) or json.", defaultValue = "table")
    String format;

    @Option(names = "--no-trunc", description = "Do not shorten the command.")
    boolean noTrunc;

    @Override
    public Integer call() {
        if (!format.equals("table") && !format.equals("json")) throw new IllegalArgumentException("--format " + format + ": expected table or json");
        List<SandboxView> shown = Sandboxes.live().list().stream().filter(s -> all || s.status() != SandboxState.Status.EXITED).toList();
        if (quiet) {
            shown.forEach(s -> System.out.println(s.id()));
        } else if (format.equals("json")) {
            System.out.println(Json.write(shown.stream().map(SandboxView::toJson).toList()));
        } else {
            System.out.print(table(shown, Instant.now()));
        }
        return 0;
    }

    String table(List<SandboxView> sandboxes, Instant now) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "NAME", "STATUS", "CREATED", "COMMAND"});
        for (SandboxView s : sandboxes) {
            String command = String.join(" ", s.state().command());
            if (!noTrunc && command.length() > COMMAND_WIDTH) command = command.substring(0, COMMAND_WIDTH - 1) + "…";
            rows.add(new String[] {s.id(), s.state().name() == null ? "-" : s.state().name(), status(s, now),
                    ago(Duration.between(s.state().created(), now)), command});
        }
        int[] widths = new int[4];
        for (String[] row : rows) for (int i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i], row[i].length());
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < widths.length; i++) out.append(row[i]).append(" ".repeat(widths[i] - row[i].length() + 2));
            out.append(row[4]).append('\n');
        }
        return out.toString();
    }

    /**
     * podman's wording: {@code Up 3 minutes}, {@code Exited (137) 5 seconds ago}, {@code Created};
     * {@code Exiting} while the monitor cleans up before it records the status.
     */
    static String status(SandboxView s, Instant now) {
        var state = s.state();
        return switch (s.status()) {
            case CREATED -> "Created";
            case RUNNING -> "Up " + span(Duration.between(state.started(), now)) + (s.monitorRunning() ? "" : " (monitor gone)");
            case EXITED -> s.exitUnknown() ? (s.monitorRunning() ? "Exiting" : "Exited (unknown: monitor gone)")
                    : "Exited (" + state.exitCode() + ") " + (state.finished() == null ? "" : ago(Duration.between(state.finished(), now)));
        };
    }

    static String ago(Duration d) {
        return d.toSeconds() < 1 ? "just now" : span(d) + " ago";
    }

    static String span(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) return plural(s, "second");
        if (s < 3600) return plural(s / 60, "minute");
        if (s < 86400) return plural(s / 3600, "hour");
        return plural(s / 86400, "day");
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
