package dev.jbox.plugin.net;

import dev.jbox.JboxException;
import dev.jbox.spec.PortMapping;
import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class PublishedPortsTest {
    @Test
    void freePortsPass() throws Exception {
        int tcp = NetTesting.freePort(), udp = NetTesting.freePort();
        PublishedPorts.check(List.of(new PortMapping("127.0.0.1", tcp, 80, "tcp"), new PortMapping("127.0.0.1", udp, 53, "udp")), BackendTest.SLIRP);
    }

    @Test
    void aTcpPortInUseIsNamedWithEaddrinuse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            PortMapping p = new PortMapping("127.0.0.1", taken.getLocalPort(), 80, "tcp");
            JboxException e = assertThrows(JboxException.class, () -> PublishedPorts.check(List.of(p), BackendTest.PASTA));
            assertEquals(125, e.exitCode());
            assertTrue(e.getMessage().contains("host port " + taken.getLocalPort() + "/tcp") && e.getMessage().contains("EADDRINUSE"), e.getMessage());
            assertTrue(e.hint().contains("-p OTHERPORT:80"), e.hint());
        }
    }

    @Test
    void aUdpPortInUseIsNamed() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            PortMapping p = new PortMapping("127.0.0.1", taken.getLocalPort(), 53, "udp");
            JboxException e = assertThrows(JboxException.class, () -> PublishedPorts.check(List.of(p), BackendTest.SLIRP));
            assertTrue(e.getMessage().contains(taken.getLocalPort() + "/udp") && e.getMessage().contains("EADDRINUSE"), e.getMessage());
        }
    }

    @Test
    void aHostPortGivenTwiceIsRefused() throws Exception {
        int port = NetTesting.freePort();
        JboxException e = assertThrows(JboxException.class, () -> PublishedPorts.check(
                List.of(new PortMapping("127.0.0.1", port, 80, "tcp"), new PortMapping("127.0.0.1", port, 81, "tcp")), BackendTest.PASTA));
        assertTrue(e.getMessage().contains("published twice"), e.getMessage());
    }

    @Test
    void hostNamesAreNotAddresses() {
        JboxException e = assertThrows(JboxException.class, () -> PublishedPorts.check(
                List.of(new PortMapping("localhost", 8080, 80, "tcp")), BackendTest.PASTA));
        assertTrue(e.getMessage().contains("not an IP address"), e.getMessage());
    }

    @Test
    void anAddressTheHostDoesNotHaveIsEaddrnotavail() {
        JboxException e = assertThrows(JboxException.class, () -> PublishedPorts.check(
                List.of(new PortMapping("192.0.2.254", 8080, 80, "tcp")), BackendTest.PASTA));
        assertTrue(e.getMessage().contains("EADDRNOTAVAIL"), e.getMessage());
    }
}
