package dev.jbox.cli;

import dev.jbox.JboxException;
import dev.jbox.plugins.Plugins;
import dev.jbox.spi.ResourceUsage;
import dev.jbox.state.SandboxView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Show memory, CPU and process usage of running sandboxes (those started with limits have a cgroup of their own).",
        footer = {"", "Examples:", "  jbox stats web", "  jbox stats $(jbox ps -q)"})
final class StatsCommand implements Callable<Integer> {
    private static final String FORMAT = "%-12s  %-12s  %10s  %10s  %10s  %10s  %6s  %6s  %4s%n";

    @Parameters(paramLabel = "ID|NAME", arity = "1..*", description = "Running sandboxes.")
    List<String> refs;

    @Override
    public Integer call() {
        System.out.printf(FORMAT, "ID", "NAME", "MEM", "MEM LIMIT", "CPU", "THROTTLED", "PIDS", "LIMIT", "OOM");
        return Targets.each(refs, false, (sandboxes, s) -> System.out.printf(FORMAT, row(s)));
    }

    private static Object[] row(SandboxView s) {
        if (!s.isRunning()) throw new JboxException("sandbox " + s.id() + " is not running", "see jbox ps -a");
        Optional<ResourceUsage> found = Plugins.fromEnvironment().limiterIfInstalled().flatMap(l -> l.usage((int) s.state().pid()));
        ResourceUsage u = found.orElseThrow(() -> new JboxException("sandbox " + s.id() + " has no cgroup of its own",
                "usage is accounted for sandboxes started with limits (--memory, --cpus, --pids-limit)"));
        return new Object[] {s.id(), s.state().name() == null ? "" : s.state().name(), bytes(u.memoryBytes()), bytes(u.memoryLimitBytes()),
                micros(u.cpuUsageMicros()), micros(u.cpuThrottledMicros()), number(u.pids()), number(u.pidsLimit()), number(u.oomKills())};
    }

    static String bytes(Long b) {
        if (b == null) return "-";
        if (b < 1 << 20) return (b >> 10) + "KiB";
        return b < 1L << 30 ? String.format("%.1fMiB", b / 1048576.0) : String.format("%.2fGiB", b / 1073741824.0);
    }

    static String micros(Long us) {
        return us == null ? "-" : String.format("%.2fs", us / 1e6);
    }

    static String number(Long n) {
        return n == null ? "-" : Long.toString(n);
    }
}
