package dev.jbox.profile;

import org.tomlj.TomlArray;
import org.tomlj.TomlTable;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One TOML value at a known place. The accessors throw {@link Mismatch} when the value has
 * another TOML type, so a {@link ValueType} reads as the happy path and the section turns the
 * mismatch into "expected …, got …".
 */
record Value(Object raw, String key, Origin origin, ProfileSource source) {

    /** The value's TOML type does not fit; carries nothing, the section knows what was expected. */
    static final class Mismatch extends RuntimeException {
        static final Mismatch INSTANCE = new Mismatch();

        private Mismatch() {
            super(null, null, false, false);
        }
    }

    /** A nested value was wrong and has been reported at its own position; this one is skipped silently. */
    static final class AlreadyReported extends RuntimeException {
        static final AlreadyReported INSTANCE = new AlreadyReported();

        private AlreadyReported() {
            super(null, null, false, false);
        }
    }

    /** Records a problem with this value: {@code FILE:LINE:COL: key `k`: message}. */
    void problem(String message) {
        source.problem(origin, "key `" + Texts.display(key) + "`: " + message);
    }

    String string() {
        if (raw instanceof String s) return s;
        throw Mismatch.INSTANCE;
    }

    long integer() {
        if (raw instanceof Long l) return l;
        throw Mismatch.INSTANCE;
    }

    boolean bool() {
        if (raw instanceof Boolean b) return b;
        throw Mismatch.INSTANCE;
    }

    /** A float, or an integer read as one. */
    double number() {
        if (raw instanceof Double d) return d;
        if (raw instanceof Long l) return l;
        throw Mismatch.INSTANCE;
    }

    TomlSection table() {
        if (raw instanceof TomlTable t) return new TomlSection(t, key, origin, source);
        throw Mismatch.INSTANCE;
    }

    /** The elements of an array, each with its own position and a key such as {@code command[2]}. */
    List<Value> elements() {
        if (!(raw instanceof TomlArray array)) throw Mismatch.INSTANCE;
        List<Value> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            Origin at = array.inputPositionOf(i) == null ? origin : source.origin(array.inputPositionOf(i));
            out.add(new Value(array.get(i), key + "[" + i + "]", at, source));
        }
        return out;
    }

    /** A host path: expanded ({@code ${VAR}}, {@code ~}) and made absolute against the profile's directory. */
    Path path() {
        return source.expander().resolve(string(), source.baseDir());
    }

    /** The TOML type of the value, for "got …" in messages. */
    String typeName() {
        return switch (raw) {
            case String s -> "a string";
            case Long l -> "an integer";
            case Double d -> "a float";
            case Boolean b -> "a boolean";
            case TomlArray a -> "an array";
            case TomlTable t -> "a table";
            case java.time.OffsetDateTime t -> "an offset date-time";
            case java.time.LocalDateTime t -> "a local date-time";
            case java.time.LocalDate t -> "a local date";
            case java.time.LocalTime t -> "a local time";
            default -> "a " + raw.getClass().getSimpleName();
        };
    }
}
