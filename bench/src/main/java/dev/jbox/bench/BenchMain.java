package dev.jbox.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/**
 * JMH's own command line (same options as {@code org.openjdk.jmh.Main}), plus a summary table
 * with medians at the end, also written as markdown to {@code -Djbox.bench.table=FILE}.
 * Exits 1 when JMH fails (with {@code -foe true}: when any benchmark fails to run).
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws IOException {
        CommandLineOptions options;
        try {
            options = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (options.shouldHelp() || options.shouldList() || options.shouldListWithParams()
                || options.shouldListProfilers() || options.shouldListResultFormats()) {
            org.openjdk.jmh.Main.main(args);
            return;
        }
        Collection<RunResult> results;
        try {
            results = new Runner(options).run();
        } catch (RunnerException e) {
            System.err.println("bench: a benchmark failed to run: " + e.getMessage());
            System.exit(1);
            return;
        }
        String table = SummaryTable.markdown(results);
        System.out.println();
        System.out.print(table);
        String file = System.getProperty("jbox.bench.table");
        if (file != null) {
            Path path = Path.of(file);
            if (path.getParent() != null) Files.createDirectories(path.getParent());
            Files.writeString(path, table);
        }
    }
}
