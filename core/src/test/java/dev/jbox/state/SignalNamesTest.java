package dev.jbox.state;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class SignalNamesTest {
    @Test
    void namesWithOrWithoutSigAndNumbers() {
        assertEquals(15, SignalNames.parse("TERM"));
        assertEquals(15, SignalNames.parse("SIGTERM"));
        assertEquals(15, SignalNames.parse("sigterm"));
        assertEquals(15, SignalNames.parse("15"));
        assertEquals(9, SignalNames.parse("kill"));
        assertEquals(1, SignalNames.parse("HUP"));
        assertEquals(10, SignalNames.parse("USR1"));
        assertEquals(28, SignalNames.parse("WINCH"));
        assertEquals(6, SignalNames.parse("IOT"));
        assertEquals(64, SignalNames.parse("64"));
    }

    @Test
    void unknownOnesAreRefusedWithTheAccepted() {
        for (String bad : new String[] {"FOO", "0", "65", "", "SIG", "99999999999"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SignalNames.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("unknown signal " + bad + ":"), e.getMessage());
        }
    }
}
