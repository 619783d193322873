package dev.jbox.profile;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * What a key accepts, described for messages ({@code expected}), and how a TOML value becomes the
 * Java value. {@code convert} throws {@link Value.Mismatch} (via Value's accessors) for a wrong
 * TOML type and {@link InvalidValue} for wrong content.
 */
record ValueType<T>(String expected, Function<Value, T> convert) {

    /** {@code value} as this type; throws as {@code convert} does (for use inside other types). */
    T read(Value value) {
        return convert.apply(value);
    }

    /** Any string but one with a NUL character, which no kernel interface can carry. */
    static final ValueType<String> STRING = new ValueType<>("a string", v -> {
        String s = v.string();
        if (s.indexOf('\0') >= 0) throw new InvalidValue("contains a NUL character (\\u0000)");
        return s;
    });
    static final ValueType<Boolean> BOOLEAN = new ValueType<>("a boolean (true or false)", Value::bool);

    /** An integer from {@code min} to {@code max}, both included. */
    static ValueType<Long> integer(long min, long max) {
        return new ValueType<>("an integer", v -> {
            long n = v.integer();
            if (n < min || n > max) {
                throw new InvalidValue("expected an integer " + (max == Long.MAX_VALUE ? "of at least " + min : "from " + min + " to " + max) + ", got " + n);
            }
            return n;
        });
    }

    /** One of a closed set of words, case-insensitive, with a suggestion for a near miss. */
    static <E> ValueType<E> oneOf(List<String> words, Function<String, E> parse) {
        String list = words.stream().map(w -> "\"" + w + "\"").collect(java.util.stream.Collectors.joining(", "));
        return new ValueType<>("one of " + list, v -> {
            String word = v.string().toLowerCase(Locale.ROOT);
            if (!words.contains(word)) {
                String hint = Suggestions.closest(word, words).map(w -> " (did you mean \"" + w + "\"?)").orElse("");
                throw new InvalidValue("expected one of " + list + ", got " + Texts.quote(v.string()) + hint);
            }
            return parse.apply(word);
        });
    }
}
