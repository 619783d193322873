package dev.jbox.linux.seccomp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelVersionTest {
    @Test
    void parsesReleaseStrings() {
        assertEquals(new KernelVersion(6, 18), KernelVersion.parseRelease("6.18.44-fc-v657"));
        assertEquals(new KernelVersion(5, 11), KernelVersion.parseRelease("5.11"));
        assertEquals(new KernelVersion(4, 8), KernelVersion.parseRelease("4.8-rc5"));
        assertEquals(new KernelVersion(6, 1), KernelVersion.parseRelease("6.1.0-28-amd64"));
        assertNull(KernelVersion.parseRelease(""));
        assertNull(KernelVersion.parseRelease("6"));
        assertNull(KernelVersion.parseRelease("6."));
        assertNull(KernelVersion.parseRelease(".6"));
        assertNull(KernelVersion.parseRelease("x.y"));
        assertNull(KernelVersion.parseRelease("99999999.1"));
    }

    @Test
    void ordersByMajorThenMinor() {
        assertTrue(new KernelVersion(5, 11).compareTo(new KernelVersion(4, 19)) > 0);
        assertTrue(new KernelVersion(6, 1).compareTo(new KernelVersion(6, 10)) < 0);
        assertTrue(KernelVersion.running().compareTo(new KernelVersion(5, 11)) >= 0, "jbox's floor: " + KernelVersion.running());
    }
}
