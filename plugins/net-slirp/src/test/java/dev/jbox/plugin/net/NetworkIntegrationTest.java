package dev.jbox.plugin.net;

import dev.jbox.launch.SandboxProcess;
import dev.jbox.spec.Identity;
import dev.jbox.spec.NetworkMode;
import dev.jbox.spec.NetworkSpec;
import dev.jbox.spec.PortMapping;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.spec.UserNamespaceMode;
import dev.jbox.testing.Capture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.jbox.plugin.net.NetTesting.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a sandbox with slirp4netns or pasta sees and offers: real sandboxes on the busybox root, run
 * as the unprivileged user running the tests. Servers on the host side listen on loopback only.
 */
class NetworkIntegrationTest {

    @ParameterizedTest
    @EnumSource(value = NetworkMode.class, names = {"SLIRP", "PASTA"})
    void httpServerInsideAnswersOnThePublishedHostPort(NetworkMode mode, @TempDir Path dir) throws Exception {
        assumeUsable(mode);
        int port = freePort();
        try (Running ignored = httpd(mode, www(dir, "hello from " + mode), port)) {
            String reply = httpGet(port, Duration.ofSeconds(10));
            assertTrue(reply.startsWith("HTTP/1.") && reply.contains(" 200 "), reply);
            assertTrue(reply.endsWith("hello from " + mode), reply);
        }
    }

    @ParameterizedTest
    @EnumSource(value = NetworkMode.class, names = {"SLIRP", "PASTA"})
    void twoSandboxesPublishDifferentPortsAtOnce(NetworkMode mode, @TempDir Path dir) throws Exception {
        assumeUsable(mode);
        int first = freePort(), second = freePort();
        try (Running a = httpd(mode, www(dir.resolve("a"), "first"), first);
             Running b = httpd(mode, www(dir.resolve("b"), "second"), second)) {
            assertTrue(httpGet(first, Duration.ofSeconds(10)).endsWith("first"));
            assertTrue(httpGet(second, Duration.ofSeconds(10)).endsWith("second"));
        }
    }

    @ParameterizedTest
    @EnumSource(value = NetworkMode.class, names = {"SLIRP", "PASTA"})
    void severalPortsOfOneSandboxAreAllPublished(NetworkMode mode, @TempDir Path dir) throws Exception {
        assumeUsable(mode);
        int first = freePort(), second = freePort();
        try (Running ignored = httpd(sh(mode, "httpd -p 8080 -h /www; exec httpd -f -p 9090 -h /www",
                loopback(first, 8080), loopback(second, 9090)), www(dir, "both"))) {
            assertTrue(httpGet(first, Duration.ofSeconds(10)).endsWith("both"));
            assertTrue(httpGet(second, Duration.ofSeconds(10)).endsWith("both"));
        }
    }

    @ParameterizedTest
    @EnumSource(value = NetworkMode.class, names = {"SLIRP", "PASTA"})
    void tapIsConfiguredWithADefaultRoute(NetworkMode mode) {
        assumeUsable(mode);
        Capture c = Capture.run(SANDBOX.launch(sh(mode, "ip -4 addr show tap0; ip route").stdout(Redirect.PIPE).stderr(Redirect.PIPE).build()));
        assertEquals(0, c.status(), c.err());
        assertTrue(c.out().contains("inet "), c.out());
        assertTrue(c.out().contains("default via"), c.out());
        if (mode == NetworkMode.SLIRP) assertTrue(c.out().contains("10.0.2.100/24"), c.out());
    }

    @ParameterizedTest
    @EnumSource(value = NetworkMode.class, names = {"SLIRP", "PASTA"})
    void worksWhenTheSandboxHasNoRoot(NetworkMode mode, @TempDir Path dir) throws Exception {
        assumeUsable(mode);
        int port = freePort();
        // A single mapping that puts the user at 1000: uid 0 does not exist inside (slirp4netns runs without its own sandbox).
        try (Running ignored = httpd(sh(mode, "exec httpd -f -p 8080 -h /www", loopback(port, 8080))
                .identity(new Identity(UserNamespaceMode.SINGLE, 1000, 1000)), www(dir, "unprivileged"))) {
            assertTrue(httpGet(port, Duration.ofSeconds(10)).endsWith("unprivileged"));
        }
    }

    @ParameterizedTest
    @EnumSource(value = NetworkMode.class, names = {"SLIRP", "PASTA"})
    void udpDatagramsReachAPublishedUdpPort(NetworkMode mode) throws Exception {
        assumeUsable(mode);
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/perl")), "needs /usr/bin/perl on the host (busybox has no UDP server)");
        int port = freePort();
        // The host's root (jbox's default): perl's IO::Socket is the UDP server, as busybox has none.
        SandboxProcess p = SANDBOX.launch(SandboxSpec.builder()
                .command("/usr/bin/perl", "-MIO::Socket::INET", "-e",
                        "my $s = IO::Socket::INET->new(LocalPort => 5353, Proto => 'udp') or die $!; $s->recv(my $m, 100); print $m")
                .network(new NetworkSpec(mode, List.of(new PortMapping("127.0.0.1", port, 5353, "udp")), false))
                .stdout(Redirect.PIPE).stderr(Redirect.PIPE).build());
        try (DatagramSocket client = new DatagramSocket()) {
            byte[] hello = "datagram from the host".getBytes(StandardCharsets.US_ASCII);
            // Datagrams sent before the server binds are dropped: repeat until one lands.
            for (int i = 0; i < 100 && p.isAlive(); i++) {
                client.send(new DatagramPacket(hello, hello.length, InetAddress.getLoopbackAddress(), port));
                p.waitFor(100, TimeUnit.MILLISECONDS);
            }
        }
        Capture c = Capture.run(p);
        assertEquals(0, c.status(), c.err());
        assertEquals("datagram from the host", c.out());
    }

    @Test
    void pastaPublishesOnIpv6Loopback(@TempDir Path dir) throws Exception {
        assumeUsable(NetworkMode.PASTA);
        int port = freePort();
        try (Running ignored = httpd(sh(NetworkMode.PASTA, "exec httpd -f -p 8080 -h /www", new PortMapping("::1", port, 8080, "tcp")),
                www(dir, "over ipv6"))) {
            assertTrue(httpGet("::1", port, Duration.ofSeconds(10)).endsWith("over ipv6"));
        }
    }

    @ParameterizedTest
    @EnumSource(value = NetworkMode.class, names = {"SLIRP", "PASTA"})
    void resolvConfAndHostsArePresentAndCorrect(NetworkMode mode) {
        assumeUsable(mode);
        Capture c = Capture.run(SANDBOX.launch(sh(mode, "cat /etc/resolv.conf; echo ---; cat /etc/hosts; echo ---; hostname")
                .hostname("box7").stdout(Redirect.PIPE).stderr(Redirect.PIPE).build()));
        assertEquals(0, c.status(), c.err());
        String[] parts = c.out().split("---\n");
        String resolv = parts[0], hosts = parts[1];
        List<String> nameservers = resolv.lines().filter(l -> l.startsWith("nameserver")).toList();
        assertEquals(List.of("nameserver " + (mode == NetworkMode.SLIRP ? "10.0.2.3" : "169.254.1.1")), nameservers, resolv);
        assertTrue(hosts.lines().anyMatch(l -> l.matches("127\\.0\\.0\\.1\\s+localhost.*")), hosts);
        assertTrue(hosts.lines().anyMatch(l -> l.matches("::1\\s+localhost.*")), hosts);
        assertTrue(hosts.lines().anyMatch(l -> l.matches("\\S+\\s+box7")), hosts);
        assertEquals("box7", parts[2].strip());
    }

    @ParameterizedTest
    @EnumSource(value = NetworkMode.class, names = {"SLIRP", "PASTA"})
    void hostLoopbackIsUnreachableUnlessAllowed(NetworkMode mode) throws Exception {
        assumeUsable(mode);
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> greetForever(server));
            // The gateway is where both helpers map the host (slirp4netns: 10.0.2.2); 127.0.0.1 is the sandbox's own.
            // timeout: pasta 2023-03 does not always pass the host's FIN on through the gateway mapping (docs/network.md).
            String script = "gw=$(ip route | awk '/^default/ {print $3}'); "
                    + "echo via-gateway: $(timeout 3 nc -w 2 $gw " + server.getLocalPort() + " </dev/null); "
                    + "echo via-loopback: $(timeout 3 nc -w 2 127.0.0.1 " + server.getLocalPort() + " </dev/null)";
            Capture denied = Capture.run(SANDBOX.launch(sh(mode, script).stdout(Redirect.PIPE).stderr(Redirect.PIPE).build()));
            assertEquals(List.of("via-gateway:", "via-loopback:"), denied.out().lines().map(String::strip).toList(), denied.err());

            Capture allowed = Capture.run(SANDBOX.launch(sh(mode, script).network(new NetworkSpec(mode, List.of(), true))
                    .stdout(Redirect.PIPE).stderr(Redirect.PIPE).build()));
            List<String> lines = allowed.out().lines().map(String::strip).toList();
            // pasta 2023-03 sometimes repeats the greeting on this path (see docs/network.md): reachability is the point.
            assertTrue(lines.getFirst().startsWith("via-gateway: hello from the host"), allowed.out() + allowed.err());
            assertEquals("via-loopback:", lines.get(1), "the sandbox's own 127.0.0.1 stays its own");
        }
    }

    private static void greetForever(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                out.write("hello from the host\n".getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                return;
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = NetworkMode.class, names = {"SLIRP", "PASTA"})
    void workloadExitStatusPassesThrough(NetworkMode mode) {
        assumeUsable(mode);
        Capture c = Capture.run(SANDBOX.launch(sh(mode, "exit 7").stdout(Redirect.PIPE).stderr(Redirect.PIPE).build()));
        assertEquals(7, c.status(), c.err());
    }
}
