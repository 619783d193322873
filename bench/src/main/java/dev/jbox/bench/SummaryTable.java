package dev.jbox.bench;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.Statistics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** JMH results as one markdown table: median first, since launch latency has a long tail. */
final class SummaryTable {
    private SummaryTable() {}

    static String markdown(Collection<RunResult> results) {
        StringBuilder out = new StringBuilder();
        out.append("| benchmark | parameters | mode | samples | median | p90 | mean | min | max | unit |\n");
        out.append("|---|---|---|---:|---:|---:|---:|---:|---:|---|\n");
        List<RunResult> rows = new ArrayList<>(results);
        rows.sort(Comparator.comparing((RunResult r) -> r.getParams().getBenchmark())
                .thenComparing(r -> r.getParams().getMode())
                .thenComparing(r -> parameters(r.getParams())));
        for (RunResult r : rows) {
            BenchmarkParams p = r.getParams();
            Statistics s = r.getPrimaryResult().getStatistics();
            out.append("| ").append(shortName(p.getBenchmark()))
                    .append(" | ").append(parameters(p))
                    .append(" | ").append(p.getMode().shortLabel())
                    .append(" | ").append(s.getN())
                    .append(" | ").append(number(s.getPercentile(50)))
                    .append(" | ").append(number(s.getPercentile(90)))
                    .append(" | ").append(number(s.getMean()))
                    .append(" | ").append(number(s.getMin()))
                    .append(" | ").append(number(s.getMax()))
                    .append(" | ").append(r.getPrimaryResult().getScoreUnit())
                    .append(" |\n");
        }
        return out.toString();
    }

    /** {@code dev.jbox.bench.LaunchBenchmark.launchToExitSampled} → {@code LaunchBenchmark.launchToExitSampled}. */
    private static String shortName(String benchmark) {
        int method = benchmark.lastIndexOf('.');
        int type = benchmark.lastIndexOf('.', method - 1);
        return benchmark.substring(type + 1);
    }

    private static String parameters(BenchmarkParams p) {
        StringBuilder out = new StringBuilder();
        for (String key : p.getParamsKeys()) {
            if (!out.isEmpty()) out.append(", ");
            out.append(key).append('=').append(p.getParam(key));
        }
        return out.isEmpty() ? "-" : out.toString();
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.3f", v);
    }
}
