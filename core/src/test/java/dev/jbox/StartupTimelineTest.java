package dev.jbox;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StartupTimelineTest {
    @Test
    void theOriginIsTheLaunchersClockInMicroseconds() {
        assertEquals(1763812345123456L, StartupTimeline.origin("1763812345.123456"), "bash's $EPOCHREALTIME");
        assertEquals(-1, StartupTimeline.origin(null), "off unless the launcher asks");
        assertEquals(-1, StartupTimeline.origin("soon"));
    }

    @Test
    void offItMarksAndPrintsNothing() {
        StartupTimeline.mark("a phase");  // the tests' JVM has no -Djbox.timeline
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StartupTimeline.print(new PrintStream(out));
        assertEquals("", out.toString());
    }
}
