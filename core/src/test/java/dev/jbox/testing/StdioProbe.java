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
 * process with those fds closed, and a workload that leaves copies of its fd links in a directory.
 */
public final class StdioProbe {
    private StdioProbe() {}

    /** Which fds a caller closed: each in turn, then all three. */
    public static final List<Set<Integer>> CLOSINGS = List.of(Set.of(0), Set.of(1), Set.of(2), Set.of(0, 1, 2));

    /**
     * The workload: an {@code sh -c} script, with the bound directory at {@code dir}, that copies
     * its shell's /proc/PID/fd/0-2 links there as fd0-fd2. cp makes no fd of the shell's move: a
     * shell's own redirections or command substitutions could fill a closed slot (dash and
     * busybox apply some in the shell itself).
     */
    public static List<String> workload(String dir) {
        return List.of("/bin/sh", "-c", "for f in 0 1 2; do cp -P /proc/$$/fd/$f " + dir + "/fd$f; done; true");
    }

    /** {@code command} run by a shell that closes {@code closed} first (ProcessBuilder cannot). */
    public static ProcessBuilder withClosed(Set<Integer> closed, List<String> command) {
        StringBuilder script = new StringBuilder("exec \"$0\" \"$@\"");
        closed.stream().sorted().forEach(fd -> script.append(' ').append(fd).append("<&-"));
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", script.toString()));
        cmd.addAll(command);
        return new ProcessBuilder(cmd);
    }

    /** The workload's fds 0-2 as it reported them, "closed" for one it did not have; clears the report. */
    public static List<String> report(Path dir) throws IOException {
        List<String> targets = new ArrayList<>();
        for (int fd = 0; fd < 3; fd++) {
            Path link = dir.resolve("fd" + fd);
            targets.add(Files.isSymbolicLink(link) ? Files.readSymbolicLink(link).toString() : "closed");
            Files.deleteIfExists(link);
        }
        return targets;
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
