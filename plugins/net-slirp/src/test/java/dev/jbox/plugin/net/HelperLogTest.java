package dev.jbox.plugin.net;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class HelperLogTest {
    @Test
    void routineChatterIsDroppedAndErrorsKept() {
        List<String> log = List.of("sent tapfd=5 for tap0", "WARNING: Support for seccomp is experimental", "received tapfd=5",
                "Starting slirp", "* MTU:             65520", "Failed to send 26 bytes to syslog", "",
                "open(\"/dev/net/tun\"): Permission denied", "child failed(1)");
        assertEquals(List.of("open(\"/dev/net/tun\"): Permission denied", "child failed(1)"), HelperLog.significant(log));
    }
}
