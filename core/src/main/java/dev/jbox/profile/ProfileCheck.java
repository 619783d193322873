package dev.jbox.profile;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code jbox profile check FILE…}: loads each profile as {@code jbox run --profile} would
 * (extends, expansion, SandboxSpec's validation) and reports, per file, OK or every problem.
 */
public final class ProfileCheck {
    private final ProfileLoader loader;

    public ProfileCheck(ProfileLoader loader) {
        this.loader = loader;
    }

    /** The outcome for one file: no problems means OK. */
    public record Result(Path file, List<Problem> problems) {
        public Result {
            problems = List.copyOf(problems);
        }

        public boolean ok() {
            return problems.isEmpty();
        }

        /** {@code FILE: OK}, or one {@code FILE:LINE:COL: problem} line per problem. */
        public String report() {
            return ok() ? file + ": OK" : String.join("\n", problems.stream().map(Problem::toString).toList());
        }
    }

    public List<Result> check(List<Path> files) {
        return files.stream().map(this::check).toList();
    }

    public Result check(Path file) {
        try {
            loader.load(file);
            return new Result(file, List.of());
        } catch (ProfileException e) {
            return new Result(file, e.problems());
        }
    }

    /** Exit status for the command: 0 when every file is OK, 125 (a jbox user error) otherwise. */
    public static int exitCode(List<Result> results) {
        return results.stream().allMatch(Result::ok) ? 0 : ProfileException.EXIT_JBOX;
    }
}
