package dev.jbox.doctor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HostChecksTest {
    @Test
    void landlockSaysWhetherTheHostsAbstractSocketsAreBlockedUnderTheHostNetwork() {
        assertEquals(Check.ok("Landlock", "ABI 7: abstract unix sockets of the host are blocked under --network host"), HostChecks.landlock(7));
        Check old = HostChecks.landlock(2);
        assertEquals(Check.Status.WARN, old.status());
        assertEquals("ABI 2: abstract unix sockets of the host are not blocked under --network host", old.detail());
        assertEquals("missing or disabled: abstract unix sockets of the host are not blocked under --network host", HostChecks.landlock(0).detail());
        assertEquals(Check.Status.OK, HostChecks.landlock(6).status(), "ABI 6 is the first that scopes");
        assertEquals(Check.Status.WARN, HostChecks.landlock(5).status());
    }
}
