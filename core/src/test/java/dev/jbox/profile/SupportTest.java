package dev.jbox.profile;

import dev.jbox.spec.SpecException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Durations and suggestions, the small parsers the profile format relies on. */
class SupportTest {
    @Test
    void durations() {
        assertEquals(Duration.ofSeconds(10), Durations.parse("10s"));
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofSeconds(90), Durations.parse("1m30s"));
        assertEquals(Duration.ofHours(2).plusMillis(1), Durations.parse(" 2h1ms "));
        for (String bad : List.of("", "10", "s", "10 s", "-1s", "1.5s", "10sx", "1d")) {
            assertThrows(SpecException.class, () -> Durations.parse(bad), bad);
        }
        assertThrows(SpecException.class, () -> Durations.parse("999999999999h".repeat(40)), "overflow is a SpecException");
        assertThrows(SpecException.class, () -> Durations.parse("999999999999999999h"), "overflow is a SpecException");
        assertEquals(Duration.ofMillis(1094593951969L), Durations.parse("1094593951969ms"), "found by SpecRoundTripTest");
    }

    @Test
    void durationsFormatShortestExact() {
        assertEquals("10s", Durations.format(Duration.ofSeconds(10)));
        assertEquals("1500ms", Durations.format(Duration.ofMillis(1500)));
        assertEquals("1h30m", Durations.format(Duration.ofMinutes(90)));
        assertEquals("0s", Durations.format(Duration.ZERO));
        for (String text : List.of("10s", "1500ms", "1h30m", "26h1s")) assertEquals(text, Durations.format(Durations.parse(text)));
    }

    @Test
    void suggestions() {
        List<String> keys = List.of("memory", "memory_swap", "cpus", "pids", "protocol");
        assertEquals(Optional.of("memory"), Suggestions.closest("memroy", keys), "transposition");
        assertEquals(Optional.of("memory"), Suggestions.closest("MEMORY", keys), "case");
        assertEquals(Optional.of("cpus"), Suggestions.closest("cpu", keys), "short words allow one edit");
        assertEquals(Optional.of("protocol"), Suggestions.closest("proto", keys), "an unambiguous abbreviation");
        assertEquals(Optional.empty(), Suggestions.closest("mem", keys), "ambiguous abbreviation: memory or memory_swap");
        assertEquals(Optional.empty(), Suggestions.closest("x", keys));
        assertEquals(Optional.empty(), Suggestions.closest("zzzzzzzz", keys));
        assertEquals(1, Suggestions.distance("kitten", "kittne"));
        assertEquals(3, Suggestions.distance("kitten", "sitting"));
    }
}
