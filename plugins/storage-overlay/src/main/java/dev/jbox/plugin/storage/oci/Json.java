package dev.jbox.plugin.storage.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.jbox.JboxException;

import java.io.IOException;

/** The one Jackson mapper of the plugin; parse errors become JboxExceptions naming the document. */
public final class Json {
    private Json() {}

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY, JsonInclude.Include.NON_EMPTY))
            .build();

    public static <T> T parse(byte[] json, Class<T> type, String what) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.toString();
            throw new JboxException("reading " + what + ": not a valid " + type.getSimpleName() + ": " + why);
        }
    }

    /** Reads only the top-level {@code mediaType} field (it decides how the rest is read). */
    public static String mediaType(byte[] json, String what) {
        try {
            var node = MAPPER.readTree(json);
            return node.hasNonNull("mediaType") ? node.get("mediaType").asText() : null;
        } catch (IOException e) {
            throw new JboxException("reading " + what + ": not valid JSON: " + e.getMessage());
        }
    }

    /** Whether the document looks like an index (has {@code manifests}) when it lacks a {@code mediaType}. */
    public static boolean hasField(byte[] json, String field) {
        try {
            return MAPPER.readTree(json).has(field);
        } catch (IOException e) {
            return false;
        }
    }

    /** A JSON object as an editable tree (auth files: what jbox does not know is kept as it is); empty for no bytes. */
    public static com.fasterxml.jackson.databind.node.ObjectNode object(byte[] json, String what) {
        try {
            if (json.length == 0) return MAPPER.createObjectNode();
            if (MAPPER.readTree(json) instanceof com.fasterxml.jackson.databind.node.ObjectNode o) return o;
            throw new JboxException("reading " + what + ": not a JSON object");
        } catch (IOException e) {
            throw new JboxException("reading " + what + ": not valid JSON: " + e.getMessage());
        }
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("serialising " + value.getClass().getSimpleName(), e);
        }
    }
}
