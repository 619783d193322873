package dev.jbox.plugin.net;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class NetworkFilesTest {
    @Test
    void resolvConfPointsAtTheForwarderAndKeepsTheHostsSearchDomainsAndOptions() {
        String host = "# managed\nnameserver 127.0.0.53\nnameserver ::1\nsearch corp.example lab.example\noptions edns0 trust-ad\n";
        List<String> lines = NetworkFiles.resolvConf(BackendTest.SLIRP, host).lines().filter(l -> !l.startsWith("#")).toList();
        assertEquals(List.of("search corp.example lab.example", "options edns0 trust-ad", "nameserver 10.0.2.3"), lines);
    }

    @Test
    void resolvConfWithoutAHostFileHasTheForwarderAlone() {
        assertEquals(List.of("nameserver 169.254.1.1"),
                NetworkFiles.resolvConf(BackendTest.PASTA, "").lines().filter(l -> !l.startsWith("#")).toList());
    }

    @Test
    void hostsNamesLoopbackAndTheSandbox() {
        List<String> lines = NetworkFiles.hosts(BackendTest.SLIRP, "box7").lines().filter(l -> !l.startsWith("#")).toList();
        assertEquals(List.of("127.0.0.1\tlocalhost", "::1\tlocalhost ip6-localhost ip6-loopback", "10.0.2.100\tbox7"), lines);
        assertTrue(NetworkFiles.hosts(BackendTest.PASTA, "jbox").contains("127.0.1.1\tjbox"));
    }
}
