package dev.jbox.plugin.net;

import dev.jbox.Sandbox;
import dev.jbox.launch.SandboxProcess;
import dev.jbox.plugins.Plugins;
import dev.jbox.spec.NetworkMode;
import dev.jbox.spec.NetworkSpec;
import dev.jbox.spec.PortMapping;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.testing.Rootless;
import dev.jbox.testing.TestRootfs;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Shared pieces of the network integration tests: the sandbox factory, ports, host-side clients. */
final class NetTesting {
    private NetTesting() {}

    static final Sandbox SANDBOX = new Sandbox(Plugins.of(List.of(), List.of(new NetSlirpProvider()), List.of()));

    /** Skips unless this user can run the helper for {@code mode}, saying what is missing. */
    static void assumeUsable(NetworkMode mode) {
        Rootless.assumeUnprivileged();
        Path tun = TunDevice.DEFAULT.path();
        Assumptions.assumeTrue(Files.isReadable(tun) && Files.isWritable(tun),
                "needs /dev/net/tun readable and writable by the test user (mode 0666, as udev sets it; .ci/run chmods it): "
                        + "slirp4netns and pasta open it as that user");
        String program = mode == NetworkMode.PASTA ? "pasta" : "slirp4netns";
        Assumptions.assumeTrue(Executables.fromEnvironment().find(program).isPresent(),
                "needs " + program + " (apt install " + (mode == NetworkMode.PASTA ? "passt" : "slirp4netns") + ")");
    }

    /** A port free on the host's loopback right now. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * GET / from 127.0.0.1:port, retrying while the server inside starts (a helper accepts on the
     * host before anything listens inside, then drops the connection).
     */
    static String httpGet(int port, Duration patience) throws Exception {
        return httpGet("127.0.0.1", port, patience);
    }

    static String httpGet(String host, int port, Duration patience) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 1000);
                s.setSoTimeout(2000);
                OutputStream out = s.getOutputStream();
                out.write("GET / HTTP/1.0\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                String reply = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                if (reply.startsWith("HTTP/")) return reply;
                last = new IOException("reply: '" + reply + "'");
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no HTTP answer on " + host + " port " + port + " within " + patience + ": " + last, last);
    }

    /**
     * This JVM's children that are network helpers. By name ({@code /proc/PID/comm}): both make
     * themselves non-dumpable, which hides {@code /proc/PID/exe} and so ProcessHandle's command.
     */
    static List<ProcessHandle> helperChildren() {
        return ProcessHandle.current().children().filter(p -> isHelperName(comm(p.pid()))).toList();
    }

    /** Debian's pasta is a link to passt, which re-executes passt.avx2 where the CPU has AVX2. */
    static boolean isHelperName(String comm) {
        return comm.equals("slirp4netns") || comm.startsWith("pasta") || comm.startsWith("passt") || comm.equals("setpriv");
    }

    static String comm(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/comm")).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** The one helper this JVM runs now. */
    static ProcessHandle onlyHelper() {
        List<ProcessHandle> helpers = helperChildren();
        if (helpers.size() != 1) throw new AssertionError("expected one helper child, found " + helpers.size());
        return helpers.getFirst();
    }

    static void awaitGone(ProcessHandle p, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (p.isAlive() && System.nanoTime() < deadline) Thread.sleep(20);
        if (p.isAlive()) throw new AssertionError("helper " + p.pid() + " " + p.info().command().orElse("") + " still alive");
    }

    /** Whether a process runs (also one that is not our child); a zombie has ended. */
    static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    static SandboxSpec.Builder sh(NetworkMode mode, String script, PortMapping... ports) {
        return SandboxSpec.builder().rootfs(TestRootfs.shared()).command("/bin/sh", "-c", script)
                .network(new NetworkSpec(mode, List.of(ports), false));
    }

    static PortMapping loopback(int hostPort, int port) {
        return new PortMapping("127.0.0.1", hostPort, port, "tcp");
    }

    static Path www(Path dir, String body) throws IOException {
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("index.html"), body);
        return www;
    }

    /** busybox httpd serving {@code www} on port 8080 inside; killed and reaped when closed. */
    static Running httpd(SandboxSpec.Builder spec, Path www) {
        return new Running(SANDBOX.launch(spec.bind(www, "/www", true).stdout(Redirect.DISCARD).stderr(Redirect.DISCARD).build()));
    }

    static Running httpd(NetworkMode mode, Path www, int hostPort) {
        return httpd(sh(mode, "exec httpd -f -p 8080 -h /www", loopback(hostPort, 8080)), www);
    }

    record Running(SandboxProcess process) implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
