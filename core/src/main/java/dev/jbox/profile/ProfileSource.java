package dev.jbox.profile;

import org.tomlj.TomlPosition;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One profile file while it is being read: where relative paths start, how paths are expanded,
 * the problems found so far and the sections read, whose unread keys are reported at the end.
 */
final class ProfileSource {
    private final Path file;
    private final PathExpander expander;
    private final List<Problem> problems = new ArrayList<>();
    private final List<TomlSection> sections = new ArrayList<>();
    private final Map<String, Origin> present = new LinkedHashMap<>();

    ProfileSource(Path file, PathExpander expander) {
        this.file = file;
        this.expander = expander;
    }

    Path file() { return file; }

    /** Relative paths in a profile are relative to the directory of the file they are written in. */
    Path baseDir() {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of("/") : parent;
    }

    PathExpander expander() { return expander; }

    Origin origin(TomlPosition position) {
        return Origin.of(file, position);
    }

    /** Records a problem ({@link Problem#of}: one line, whatever the file holds). */
    void problem(Origin origin, String message) {
        problems.add(Problem.of(origin, message));
    }

    /** The problems in the order of the file (the file-wide ones first), however they were found. */
    List<Problem> problems() {
        return problems.stream().sorted(Comparator.comparingInt((Problem p) -> p.origin().line())
                .thenComparingInt(p -> p.origin().column())).toList();
    }

    int problemCount() { return problems.size(); }

    /** Records that the file sets {@code schemaKey} ({@code limits.memory}) at {@code origin}. */
    void present(String schemaKey, Origin origin) {
        present.putIfAbsent(schemaKey, origin);
    }

    /** Where each key the file sets is written. */
    Map<String, Origin> presentKeys() {
        return present;
    }

    void register(TomlSection section) {
        sections.add(section);
    }

    /**
     * Reports every key no reader asked for, with the closest known key of the same section, or
     * a known key of the same name in another section ({@code memory} → {@code limits.memory}).
     */
    void reportUnknownKeys() {
        Set<String> everyKnownKey = new LinkedHashSet<>();
        for (TomlSection s : sections) for (String k : s.knownKeys()) everyKnownKey.add(s.schemaKey(k));
        for (TomlSection s : sections) {
            for (String key : s.unknownKeys()) {
                String hint = Suggestions.closest(key, s.knownKeys()).map(s::schemaKey)
                        .or(() -> elsewhere(key, everyKnownKey))
                        .map(k -> " (did you mean `" + k + "`?)").orElse("");
                problem(s.origin(key), "unknown key `" + s.displayKey(key) + "`" + hint);
            }
        }
    }

    private static Optional<String> elsewhere(String key, Set<String> knownKeys) {
        return knownKeys.stream().filter(k -> k.endsWith("." + key)).findFirst();
    }
}
