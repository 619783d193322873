package dev.jbox.spec;

import java.util.Locale;

/** {@code -p [IP:]HOSTPORT:PORT[/tcp|/udp]}. */
public record PortMapping(String hostIp, int hostPort, int containerPort, String protocol) {
    public PortMapping {
        checkPort(hostPort, "host port");
        checkPort(containerPort, "sandbox port");
        if (!protocol.equals("tcp") && !protocol.equals("udp")) {
            throw new SpecException("port protocol " + protocol + ": expected tcp or udp");
        }
    }

    private static void checkPort(int port, String what) {
        if (port < 1 || port > 65535) throw new SpecException(what + " " + port + ": expected 1-65535");
    }

    public static PortMapping parse(String spec) {
        String body = spec, proto = "tcp";
        int slash = spec.lastIndexOf('/');
        if (slash >= 0) {
            body = spec.substring(0, slash);
            proto = spec.substring(slash + 1).toLowerCase(Locale.ROOT);
        }
        int last = body.lastIndexOf(':');
        if (last < 0) throw new SpecException("-p " + spec + ": expected [IP:]HOSTPORT:PORT[/tcp|/udp]");
        String container = body.substring(last + 1);
        String rest = body.substring(0, last);
        int hostColon = rest.lastIndexOf(':');
        String ip = hostColon >= 0 ? rest.substring(0, hostColon) : "";
        String host = hostColon >= 0 ? rest.substring(hostColon + 1) : rest;
        if (ip.startsWith("[") && ip.endsWith("]")) ip = ip.substring(1, ip.length() - 1);
        try {
            return new PortMapping(ip.isEmpty() ? "0.0.0.0" : ip, Integer.parseInt(host), Integer.parseInt(container), proto);
        } catch (NumberFormatException e) {
            throw new SpecException("-p " + spec + ": ports must be numbers, e.g. -p 8080:80");
        }
    }

    @Override
    public String toString() {
        return hostIp + ":" + hostPort + ":" + containerPort + "/" + protocol;
    }
}
