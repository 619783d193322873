package dev.jbox.bench;

import dev.jbox.Sandbox;
import dev.jbox.plugins.Plugins;
import dev.jbox.spec.SandboxSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The library path for the side-by-side script: launches {@code /bin/true} in the given root
 * {@code runs} times from one warm JVM (after {@code warmup} launches) and prints one CSV line in
 * hyperfine's {@code --export-csv} shape, times in seconds; user/system are the CPU seconds per
 * launch of this JVM and its children together.
 *
 * <pre>java … dev.jbox.bench.LaunchTimes ROOTFS|host WARMUP RUNS LABEL</pre>
 */
public final class LaunchTimes {
    private LaunchTimes() {}

    private static final double TICK = 0.01;  // USER_HZ is 100 on every Linux jbox supports

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: LaunchTimes ROOTFS|host WARMUP RUNS LABEL");
            System.exit(2);
        }
        Path root = args[0].equals("host") ? null : Path.of(args[0]);
        int warmup = Integer.parseInt(args[1]), runs = Integer.parseInt(args[2]);
        SandboxSpec spec = Workloads.parse(root == null ? "host-root" : "dir").trueIn(root);
        Sandbox sandbox = new Sandbox(Plugins.none());
        for (int i = 0; i < warmup; i++) Workloads.runToExit(sandbox.launch(spec));

        double[] seconds = new double[runs];
        long[] cpuBefore = cpuTicks();
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            Workloads.runToExit(sandbox.launch(spec));
            seconds[i] = (System.nanoTime() - t0) / 1e9;
        }
        long[] cpuAfter = cpuTicks();
        double user = (cpuAfter[0] - cpuBefore[0]) * TICK / runs, system = (cpuAfter[1] - cpuBefore[1]) * TICK / runs;
        System.out.println(csv(args[3], seconds, user, system));
    }

    /** command,mean,stddev,median,user,system,min,max (hyperfine's CSV columns). */
    static String csv(String label, double[] s, double user, double system) {
        double[] sorted = s.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(s).average().orElseThrow();
        double var = Arrays.stream(s).map(x -> (x - mean) * (x - mean)).sum() / Math.max(1, s.length - 1);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return String.format(Locale.ROOT, "%s,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f",
                label, mean, Math.sqrt(var), median, user, system, sorted[0], sorted[n - 1]);
    }

    /** utime+cutime and stime+cstime of this process, from /proc/self/stat (clock ticks). */
    private static long[] cpuTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // Fields after the comm: state=0 … utime=11, stime=12, cutime=13, cstime=14.
        return new long[] {Long.parseLong(f[11]) + Long.parseLong(f[13]), Long.parseLong(f[12]) + Long.parseLong(f[14])};
    }
}
