package dev.jbox.plugin.net;

import dev.jbox.JboxException;
import dev.jbox.spec.PortMapping;

import java.io.Closeable;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks {@code -p} before anything starts: host addresses are IP literals, no host port is
 * given twice, the backend can publish each one, and each host port can be bound right now.
 * (A port taken between this check and the helper's bind is reported by the helper.)
 */
final class PublishedPorts {
    private PublishedPorts() {}

    static void check(List<PortMapping> ports, Backend backend) {
        Set<String> seen = new HashSet<>();
        for (PortMapping p : ports) {
            InetAddress address = address(p);
            if (!seen.add(p.hostPort() + "/" + p.protocol())) {
                throw new JboxException("-p " + p + ": host port " + p.hostPort() + "/" + p.protocol() + " is published twice",
                        "give each host port once");
            }
            backend.checkPublishable(p);
            probe(p, address);
        }
    }

    private static InetAddress address(PortMapping p) {
        try {
            return InetAddress.ofLiteral(p.hostIp());
        } catch (IllegalArgumentException e) {
            throw new JboxException("-p " + p + ": host address " + p.hostIp() + " is not an IP address",
                    "give an IPv4 or IPv6 address, e.g. -p 127.0.0.1:" + p.hostPort() + ":" + p.containerPort());
        }
    }

    /** Binds the host port and lets it go again, as the helper will bind it. */
    static void probe(PortMapping p, InetAddress address) {
        InetSocketAddress where = new InetSocketAddress(address, p.hostPort());
        try (Closeable socket = bind(p.protocol(), where)) {
            // Bound: free.
        } catch (BindException e) {
            throw new JboxException("-p " + p + ": cannot use host port " + p.hostPort() + "/" + p.protocol() + " on " + p.hostIp()
                    + ": " + errnoOf(e), hintFor(e, p));
        } catch (IOException e) {
            throw new JboxException("-p " + p + ": checking host port " + p.hostPort() + ": " + e.getMessage());
        }
    }

    private static Closeable bind(String protocol, InetSocketAddress where) throws IOException {
        if (protocol.equals("udp")) return new DatagramSocket(where);
        ServerSocket s = new ServerSocket();
        try {
            s.bind(where, 1);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    private static String errnoOf(BindException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("already in use")) return "EADDRINUSE (it is already in use)";
        if (m.contains("Permission denied")) return "EACCES (Permission denied)";
        if (m.contains("Cannot assign requested address")) return "EADDRNOTAVAIL (no such address on this host)";
        return m;
    }

    private static String hintFor(BindException e, PortMapping p) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("Permission denied")) {
            return "ports below 1024 need sysctl net.ipv4.ip_unprivileged_port_start=" + p.hostPort() + " or lower; or publish a higher host port";
        }
        if (m.contains("Cannot assign requested address")) return "give an address of this host, or omit it to listen on all";
        return "stop what listens there, or choose another host port: -p OTHERPORT:" + p.containerPort();
    }
}
