package dev.jbox.spec;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class SpecParsingTest {
    @Test
    void sizes() {
        assertEquals(512L << 20, Limits.parseSize("--memory", "512m"));
        assertEquals(2L << 30, Limits.parseSize("--memory", "2G"));
        assertEquals(1536L << 20, Limits.parseSize("--memory", "1.5g"));
        assertEquals(1048576, Limits.parseSize("--memory", "1048576"));
        assertEquals(64L << 20, Limits.parseSize("--memory", "64MiB"));
        SpecException e = assertThrows(SpecException.class, () -> Limits.parseSize("--memory", "lots"));
        assertTrue(e.getMessage().contains("--memory lots"), e.getMessage());
        assertThrows(SpecException.class, () -> Limits.parseSize("--memory", "-1m"));
    }

    @Test
    void limitsAreEmptyOnlyWithNothingSet() {
        assertTrue(Limits.NONE.isEmpty());
        for (Limits one : java.util.List.of(new Limits(1L, null, null, null, null, null), new Limits(null, -1L, null, null, null, null),
                new Limits(null, null, 0.5, null, null, null), new Limits(null, null, null, 1L, null, null),
                new Limits(null, null, null, null, 1, null), new Limits(null, null, null, null, null, 1))) {
            assertFalse(one.isEmpty(), one.toString());
        }
    }

    @Test
    void ports() {
        assertEquals(new PortMapping("0.0.0.0", 8080, 80, "tcp"), PortMapping.parse("8080:80"));
        assertEquals(new PortMapping("127.0.0.1", 53, 53, "udp"), PortMapping.parse("127.0.0.1:53:53/udp"));
        assertEquals(new PortMapping("::1", 1, 2, "tcp"), PortMapping.parse("[::1]:1:2"));
        assertThrows(SpecException.class, () -> PortMapping.parse("80"));
        assertThrows(SpecException.class, () -> PortMapping.parse("70000:80"));
        assertThrows(SpecException.class, () -> PortMapping.parse("1:2/sctp"));
    }

    @Test
    void users() {
        assertEquals(new Identity(UserNamespaceMode.SINGLE, 1000, 1000), Identity.parseUser(UserNamespaceMode.SINGLE, "1000"));
        assertEquals(new Identity(UserNamespaceMode.AUTO, 1, 2), Identity.parseUser(UserNamespaceMode.AUTO, "1:2"));
        assertThrows(SpecException.class, () -> Identity.parseUser(UserNamespaceMode.SINGLE, "alice"));
        assertThrows(SpecException.class, () -> Identity.parseUser(UserNamespaceMode.SINGLE, "-1"));
    }

    @Test
    void validationNamesTheFieldAndTheFix() {
        assertTrue(assertThrows(SpecException.class, () -> SandboxSpec.builder().build()).getMessage().contains("--"));
        assertThrows(SpecException.class, () -> SandboxSpec.builder().command("x").tmpfs("relative").build());
        assertThrows(SpecException.class, () -> SandboxSpec.builder().command("x").hostname("bad_host!").build());
        assertThrows(SpecException.class, () -> SandboxSpec.builder().command("x").env("1A", "v").build());
        assertThrows(SpecException.class, () -> SandboxSpec.builder().command("a\0b").build());
        assertThrows(SpecException.class, () -> SandboxSpec.builder().command("x").network(new NetworkSpec(NetworkMode.NONE, java.util.List.of(PortMapping.parse("1:2")), false)).build());
        assertThrows(SpecException.class, () -> SandboxSpec.builder().command("x").limits(new Limits(1L, null, null, null, null, null)).cgroupManager(CgroupManager.DISABLED).build());
        assertThrows(SpecException.class, () -> NetworkMode.parse("bridge"));
    }
}
