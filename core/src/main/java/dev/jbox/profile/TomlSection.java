package dev.jbox.profile;

import dev.jbox.spec.SpecException;
import org.tomlj.TomlTable;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A TOML table read through typed getters. Every key asked for becomes a known key of the
 * section whether present or not, so the set of getters a reader calls is the schema, and the
 * keys nobody asked for are reported as unknown by {@link ProfileSource#reportUnknownKeys()}.
 * A wrong value is recorded as a problem at its position and read as absent (null), so one pass
 * finds every problem in a file.
 */
final class TomlSection {
    private final TomlTable table;
    private final String path;
    private final Origin origin;
    private final ProfileSource source;
    private final Set<String> known = new LinkedHashSet<>();

    /** @param path the section's key as shown in messages: "" for the file, "limits", "mount[2]" */
    TomlSection(TomlTable table, String path, Origin origin, ProfileSource source) {
        this.table = table;
        this.path = path;
        this.origin = origin;
        this.source = source;
        source.register(this);
    }

    /** The value of {@code key} converted by {@code type}, or null when it is absent or wrong. */
    <T> T get(String key, ValueType<T> type) {
        Value value = value(key);
        return value == null ? null : convert(value, type);
    }

    /** A sub-table such as {@code [limits]}, empty when absent so its keys are still known. */
    TomlSection section(String key) {
        Value value = value(key);
        TomlSection section = value == null ? null : convert(value, TABLE);
        return section != null ? section : new TomlSection(EMPTY, qualified(key), origin, source);
    }

    /** The raw value of a free-form key ({@code env}, {@code plugins}), or null. */
    Value value(String key) {
        known.add(key);
        if (!table.contains(List.of(key))) return null;
        source.present(schemaKey(key), origin(key));
        return new Value(table.get(List.of(key)), qualified(key), origin(key), source);
    }

    /**
     * Every entry of a table whose keys are the user's ({@code env}, {@code plugins}): all count as
     * known, so none is reported as unknown.
     */
    List<Value> entries() {
        List<Value> out = new ArrayList<>();
        for (String key : table.keySet()) out.add(value(key));
        return out;
    }

    /** Reads {@code value} with {@code type}; a problem at the value's position and null if it does not fit. */
    static <T> T convert(Value value, ValueType<T> type) {
        try {
            return type.read(value);
        } catch (Value.AlreadyReported e) {
            return null;
        } catch (Value.Mismatch e) {
            value.problem("expected " + type.expected() + ", got " + value.typeName());
        } catch (InvalidValue | SpecException e) {
            value.problem(e.getMessage());
        }
        return null;
    }

    /** An array of {@code element}s; a wrong element is reported at its own position and left out. */
    static <T> ValueType<List<T>> arrayOf(ValueType<T> element) {
        return arrayOf("an array whose elements are each " + element.expected(), element);
    }

    static <T> ValueType<List<T>> arrayOf(String expected, ValueType<T> element) {
        return new ValueType<>(expected, v -> {
            List<T> out = new ArrayList<>();
            for (Value e : v.elements()) {
                T t = convert(e, element);
                if (t != null) out.add(t);
            }
            return out;
        });
    }

    Origin origin(String key) {
        var position = table.inputPositionOf(List.of(key));
        return position == null ? origin : source.origin(position);
    }

    Set<String> knownKeys() {
        return known;
    }

    List<String> unknownKeys() {
        return table.keySet().stream().filter(k -> !known.contains(k)).toList();
    }

    /** {@code key} qualified by the section as written in messages: {@code mount[2].source}. */
    String displayKey(String key) {
        return Texts.display(qualified(key));
    }

    /** {@code key} qualified by the section without array indices: {@code mount.source}. */
    String schemaKey(String key) {
        return INDEX.matcher(qualified(key)).replaceAll("");
    }

    private String qualified(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static final java.util.regex.Pattern INDEX = java.util.regex.Pattern.compile("\\[\\d+]");
    static final ValueType<TomlSection> TABLE = new ValueType<>("a table", Value::table);
    private static final TomlTable EMPTY = org.tomlj.Toml.parse("");
}
