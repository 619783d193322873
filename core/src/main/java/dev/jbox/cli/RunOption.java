package dev.jbox.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * One option of {@code jbox run}, declared once in {@link RunOptions}: picocli's model (help,
 * completion, errors) and the fast parser of the common case are both built from it.
 *
 * @param names      {@code -v}, {@code --volume}: the long name last
 * @param label      the value's name in help ({@code SRC:DST[:ro]}); null for a flag
 * @param type       the value's type: Boolean for a flag, else String, Path, Integer, Long or Double
 * @param repeatable whether the option may be given more than once (each value is applied)
 * @param apply      stores one value in the command
 */
record RunOption(List<String> names, String label, Class<?> type, boolean repeatable, String description,
                 BiConsumer<RunCommand, Object> apply) {

    static RunOption flag(String names, String description, BiConsumer<RunCommand, Boolean> set) {
        return of(names, null, Boolean.class, false, description, set);
    }

    static <T> RunOption single(String names, String label, Class<T> type, String description, BiConsumer<RunCommand, T> set) {
        return of(names, label, type, false, description, set);
    }

    static <T> RunOption repeated(String names, String label, Class<T> type, String description, BiConsumer<RunCommand, T> add) {
        return of(names, label, type, true, description, add);
    }

    private static <T> RunOption of(String names, String label, Class<T> type, boolean repeatable, String description,
                                    BiConsumer<RunCommand, T> apply) {
        return new RunOption(List.of(names.split(",")), label, type, repeatable, description, (run, value) -> apply.accept(run, type.cast(value)));
    }

    boolean isFlag() {
        return type == Boolean.class;
    }

    /** The long name: how picocli's messages name the option. */
    String longName() {
        return names.getLast();
    }

    /**
     * The value of {@code text} as picocli's built-in converter for this type makes it; throws
     * (NumberFormatException, InvalidPathException) where picocli would report an invalid value.
     */
    Object convert(String text) {
        if (type == String.class) return text;
        if (type == Path.class) return Path.of(text);
        if (type == Integer.class) return Integer.valueOf(text);
        if (type == Long.class) return Long.valueOf(text);
        if (type == Double.class) return Double.valueOf(text);
        throw new IllegalStateException("option " + longName() + ": no conversion to " + type.getSimpleName());
    }
}
