package dev.jbox.profile;

import dev.jbox.JboxException;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A profile that cannot be used, with every problem found in it (not just the first), one per
 * line as {@code FILE:LINE:COL: problem}. Exit status 125 like every jbox user error.
 */
public final class ProfileException extends JboxException {
    private final List<Problem> problems;

    public ProfileException(List<Problem> problems) {
        // No hint: it would be glued to the last of several lines; each problem says its own fix.
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) throw new IllegalArgumentException("a ProfileException needs at least one problem");
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
