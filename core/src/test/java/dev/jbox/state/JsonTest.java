package dev.jbox.state;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class JsonTest {
    @Test
    void roundTripsTheKindsStateUses() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", "quote \" backslash \\ newline \n tab \t bell \u0007 é ✓");
        m.put("number", -1234567890123L);
        m.put("none", null);
        m.put("yes", true);
        m.put("list", List.of("a", "b c"));
        m.put("empty", List.of());
        m.put("nested", Map.of("k", 1L));
        String json = Json.write(m);
        assertEquals(m, Json.parse(json));
        assertTrue(json.contains("\\u0007") && json.contains("\\\"") && json.contains("\\n"), json);
        assertTrue(json.startsWith("{\n  \"text\": "), "pretty-printed: " + json);
    }

    @Test
    void readsWhatOtherWritersProduce() {
        assertEquals(Arrays.asList(1L, "x/y", "\u00e9", false, null), Json.parse(" [1,\"x\\/y\",\"\\u00e9\" , false,null] "));
        assertEquals(Map.of(), Json.parse("{}"));
    }

    @Test
    void malformedInputNamesTheOffset() {
        for (String bad : List.of("", "{", "{\"a\" 1}", "[1,]", "\"open", "{\"a\":1} x", "tru", "{a:1}", "\"\\q\"")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("JSON: ") && e.getMessage().contains("at offset"), e.getMessage());
        }
    }

    @Test
    void refusesValuesItCannotWrite() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of("d", 1.5)));
    }
}
