package dev.jbox.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * What a workload gets as fd 0-2 when its caller closed some of them: a command that starts a
 * process with those fds closed, and a workload that writes what its fds 0-2 name to a file.
 */
public final class StdioProbe {
    private StdioProbe() {}

    /** Which fds a caller closed: each in turn, then all three. */
    public static final List<Set<Integer>> CLOSINGS = List.of(Set.of(0), Set.of(1), Set.of(2), Set.of(0, 1, 2));

    /** The file, in the bound directory, the workload writes its fds' targets to, one a line. */
    public static final String REPORT = "fds";

    /**
     * The workload: as {@code sh -c} script, with the bound directory mounted at {@code dir}. The
     * command substitution's subshell reads the fds of its parent, the workload's shell.
     */
    public static List<String> workload(String dir) {
        return List.of("/bin/sh", "-c", "x=$(for f in 0 1 2; do readlink /proc/$$/fd/$f || echo closed; done); echo \"$x\" >" + dir + "/" + REPORT);
    }

    /** {@code command} run by a shell that closes {@code closed} first (ProcessBuilder cannot). */
    public static ProcessBuilder withClosed(Set<Integer> closed, List<String> command) {
        StringBuilder script = new StringBuilder("exec \"$0\" \"$@\"");
        closed.stream().sorted().forEach(fd -> script.append(' ').append(fd).append("<&-"));
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", script.toString()));
        cmd.addAll(command);
        return new ProcessBuilder(cmd);
    }

    /** The workload's fds 0-2 as it reported them. */
    public static List<String> report(Path dir) throws IOException {
        return Files.readAllLines(dir.resolve(REPORT));
    }

    /**
     * What fds 0-2 should name when {@code closed} were closed and the others were pipes of the
     * test: /dev/null for a closed one, a pipe for an open one.
     */
    public static List<String> expected(Set<Integer> closed) {
        return IntStream.range(0, 3).mapToObj(fd -> closed.contains(fd) ? "/dev/null" : "pipe").toList();
    }

    /** A report with each pipe reduced to "pipe", for comparing with {@link #expected}. */
    public static List<String> kinds(List<String> report) {
        return report.stream().map(target -> target.startsWith("pipe:") ? "pipe" : target).toList();
    }
}
