package dev.jbox.plugin.net;

import dev.jbox.launch.SandboxProcess;
import dev.jbox.spec.NetworkMode;
import dev.jbox.spec.NetworkSpec;
import dev.jbox.spec.PortMapping;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.testing.TestRootfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The numbers issue 6 asks for, measured in one session: launch latency each helper adds, and TCP
 * throughput host → sandbox over a published port. Run on demand:
 * {@code ./mvnw -pl plugins/net-slirp -am test -Dtest=NetworkBenchmark -Djbox.net.bench=true}.
 */
@EnabledIfSystemProperty(named = "jbox.net.bench", matches = "true")
class NetworkBenchmark {
    static final int LAUNCHES = 31;
    static final long BYTES = 200L << 20;

    @Test
    void launchLatencyOfTrue() throws Exception {
        List<NetworkMode> modes = new ArrayList<>(List.of(NetworkMode.NONE));
        for (NetworkMode m : List.of(NetworkMode.SLIRP, NetworkMode.PASTA)) {
            NetTesting.assumeUsable(m);
            modes.add(m);
        }
        Map<NetworkMode, List<Double>> total = new EnumMap<>(NetworkMode.class), started = new EnumMap<>(NetworkMode.class);
        for (int round = -3; round < LAUNCHES; round++) {  // three warm-up rounds, modes interleaved against drift
            for (NetworkMode m : modes) {
                long t0 = System.nanoTime();
                SandboxProcess p = NetTesting.SANDBOX.launch(SandboxSpec.builder().rootfs(TestRootfs.shared()).command("/bin/true")
                        .network(m).stdout(Redirect.DISCARD).stderr(Redirect.DISCARD).build());
                long t1 = System.nanoTime();
                assertEquals(0, p.waitFor());
                long t2 = System.nanoTime();
                if (round < 0) continue;
                started.computeIfAbsent(m, k -> new ArrayList<>()).add((t1 - t0) / 1e6);
                total.computeIfAbsent(m, k -> new ArrayList<>()).add((t2 - t0) / 1e6);
            }
        }
        double none = median(total.get(NetworkMode.NONE));
        for (NetworkMode m : modes) {
            double med = median(total.get(m));
            System.out.printf("BENCH launch→exit of /bin/true, --network %-5s: median %6.1f ms (+%.1f over none; workload released after %.1f), p90 %6.1f ms, n=%d%n",
                    m.label(), med, med - none, median(started.get(m)), percentile(total.get(m), 0.9), total.get(m).size());
        }
        System.out.println("BENCH load average: " + Files.readString(Path.of("/proc/loadavg")).strip());
    }

    @Test
    void throughputHostToSandbox() throws Exception {
        for (NetworkMode m : List.of(NetworkMode.SLIRP, NetworkMode.PASTA)) {
            NetTesting.assumeUsable(m);
            List<Double> rates = new ArrayList<>();
            for (int i = 0; i < 5; i++) rates.add(pushIntoSandbox(m));
            System.out.printf("BENCH TCP host → sandbox over a published port, --network %-5s: %s MB/s (median %.0f)%n",
                    m.label(), rates.stream().map(r -> String.format("%.0f", r)).toList(), median(rates));
        }
        List<Double> rates = new ArrayList<>();
        for (int i = 0; i < 5; i++) rates.add(pushIntoHostNc());
        System.out.printf("BENCH TCP host → busybox nc on the host's loopback (baseline): %s MB/s (median %.0f)%n",
                rates.stream().map(r -> String.format("%.0f", r)).toList(), median(rates));
        System.out.println("BENCH load average: " + Files.readString(Path.of("/proc/loadavg")).strip());
    }

    /** Pushes BYTES into {@code nc -l} in a sandbox; MB/s from the first byte to the sandbox's exit. */
    private static double pushIntoSandbox(NetworkMode mode) throws Exception {
        int port = NetTesting.freePort();
        SandboxProcess p = NetTesting.SANDBOX.launch(SandboxSpec.builder().rootfs(TestRootfs.shared())
                .command("/bin/sh", "-c", "nc -l -p 5000 | wc -c")
                .network(new NetworkSpec(mode, List.of(new PortMapping("127.0.0.1", port, 5000, "tcp")), false))
                .stdin(Redirect.PIPE).stdout(Redirect.PIPE).stderr(Redirect.INHERIT).build());
        awaitListening(p.pid(), 5000);
        return push(port, () -> read(p));
    }

    private static double pushIntoHostNc() throws Exception {
        int port = NetTesting.freePort();
        Process nc = new ProcessBuilder("/bin/sh", "-c", "busybox nc -l -p " + port + " | wc -c").redirectError(Redirect.INHERIT).start();
        awaitListening(nc.children().filter(c -> NetTesting.comm(c.pid()).equals("busybox")).findFirst()
                .map(ProcessHandle::pid).orElse(nc.pid()), port);
        return push(port, () -> read(nc));
    }

    private static double push(int port, Supplier<String> received) throws IOException {
        byte[] chunk = new byte[256 * 1024];
        long t0;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port));
            t0 = System.nanoTime();
            OutputStream out = s.getOutputStream();
            for (long sent = 0; sent < BYTES; sent += chunk.length) out.write(chunk);
            s.shutdownOutput();
            s.getInputStream().readAllBytes();
        }
        String count = received.get().strip();
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(Long.toString(BYTES), count, "bytes that arrived");
        return BYTES / 1e6 / seconds;
    }

    private static String read(Process p) {
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return out;
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Waits until a TCP socket listens on {@code port} in the network namespace of {@code pid}. */
    private static void awaitListening(long pid, int port) throws Exception {
        String local = String.format(":%04X ", port);
        Path tcp = Path.of("/proc/" + pid + "/net/tcp");
        for (int i = 0; i < 500; i++) {
            for (Path f : List.of(tcp, Path.of("/proc/" + pid + "/net/tcp6"))) {
                if (Files.exists(f) && Files.readAllLines(f).stream().anyMatch(l -> l.contains(local) && l.split("\\s+")[4].equals("0A"))) return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("nothing listens on port " + port + " in the namespace of " + pid);
    }

    static double median(List<Double> values) {
        return percentile(values, 0.5);
    }

    static double percentile(List<Double> values, double q) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get((int) Math.min(sorted.size() - 1, Math.round(q * (sorted.size() - 1))));
    }
}
