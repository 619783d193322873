package dev.jbox.linux;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MountInfoTest {
    @Test
    void octalEscapesAreUndone() {
        assertEquals("/a b", MountInfo.unescape("/a\\040b"));
        assertEquals("a\tb\nc\\d", MountInfo.unescape("a\\011b\\012c\\134d"));
        assertEquals("\\09x", MountInfo.unescape("\\09x"), "not an octal escape: kept");
        assertEquals("/plain", MountInfo.unescape("/plain"));
    }
}
