package dev.jbox.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** The fast parser of jbox run agrees with picocli wherever it answers, and leaves everything else to picocli. */
class FastRunParserTest {
    /** What a parsed run command amounts to: the flags as a profile layer, plus what is not part of it. */
    static List<Object> meaning(RunCommand run) {
        return List.of(run.flags(), String.valueOf(run.profile), run.dryRun, run.detach, run.jboxArgs);
    }

    static void agreesWithPicocli(String... args) {
        Optional<RunCommand> fast = FastRunParser.parse(args);
        assertTrue(fast.isPresent(), "the fast parser takes " + List.of(args));
        assertEquals(meaning(JboxCommand.parseRun(args)), meaning(fast.get()), List.of(args).toString());
    }

    /** A value of the option's type that is valid where a file must exist, too. */
    static String sample(RunOption o, Path file) {
        if (o.type() == Path.class) return file.toString();
        if (o.type() == Integer.class || o.type() == Long.class) return "7";
        if (o.type() == Double.class) return "0.5";
        return switch (o.longName()) {
            case "--volume" -> "/tmp:/t:ro";
            case "--publish" -> "8080:80";
            case "--network" -> "slirp";
            case "--userns" -> "auto";
            case "--user" -> "1:2";
            case "--memory", "--memory-swap" -> "1g";
            case "--cgroup-manager" -> "cgroupfs";
            case "--seccomp" -> "unconfined";
            case "--cap-add", "--cap-drop" -> "NET_RAW";
            case "--stop-timeout" -> "1m";
            case "--storage-opt" -> "overlay.mount_program=fuse-overlayfs";
            case "--env" -> "A=1";
            case "--workdir", "--tmpfs" -> "/w";
            default -> "x";
        };
    }

    @Test
    void everyOptionInEveryFormMeansWhatItMeansToPicocli(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "A=1\n");
        for (RunOption o : RunOptions.ALL) {
            for (String name : o.names()) {
                if (o.isFlag()) {
                    agreesWithPicocli("run", name, "--", "true");
                    continue;
                }
                String value = sample(o, file);
                agreesWithPicocli("run", name, value, "--", "true");
                agreesWithPicocli("run", name.startsWith("--") ? name + "=" + value : name + value, "--", "true");
                if (o.repeatable()) agreesWithPicocli("run", name, value, name, value, "--", "true");
            }
        }
    }

    @Test
    void commonLinesAgreeWithPicocli() {
        agreesWithPicocli("run", "--", "/bin/true");
        agreesWithPicocli("run", "--", "sh", "-c", "--rootfs x; exit 3");
        agreesWithPicocli("run", "-it", "--rootfs", "/tmp", "-v", "/tmp:/src:ro", "-w", "/src", "--", "sh");
        agreesWithPicocli("run", "-dit", "--name", "web", "--", "httpd", "-f");
        agreesWithPicocli("run", "--memory-swap", "-1", "-e", "-0.5", "--", "true");
        agreesWithPicocli("run", "-e=A=1", "-eB=2", "--hostname=h=1", "--", "true");
        agreesWithPicocli("run", "--log-level", "debug", "--dry-run", "--", "true");
        agreesWithPicocli("run", "--log-level=info", "--", "true");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "run --help", "run -h", "run --version", "run -V",                  // picocli's help
            "run --no-such-flag -- true", "run -x -- true", "run - -- true",    // picocli's error messages
            "run --rootfs", "run --rootfs --hostname x -- true",                // missing values
            "run --rootfs /a --rootfs /b -- true", "run -t -t -- true", "run -tt -- true", "run -w /a --workdir /b -- true",
            "run --log-level info --log-level debug -- true",
            "run --cpus abc -- true", "run --pids-limit 1.5 -- true", "run --cpu-weight x -- true",
            "run --hostname -x -- true", "run --hostname= -- true", "run -e= -- true",
            "run --rm=true -- true", "run -itv /a:/b -- true", "run -iv /a:/b -- true",
            "run @args -- true", "run -- @args",                                // picocli expands @files, even after --
            "run id -u",                                                         // no --: -u wants a value
            "--log-level info run -- true", "help run", "ps", "", "rn -- true",
    })
    void leavesTheRestToPicocli(String line) {
        String[] args = line.isEmpty() ? new String[0] : line.split(" ");
        assertEquals(Optional.empty(), FastRunParser.parse(args).map(FastRunParserTest::meaning), line);
    }

    @Test
    void emptyValuesGoToPicocli() {
        assertEquals(Optional.empty(), FastRunParser.parse("run", "--userns", "", "--", "true").map(FastRunParserTest::meaning));
    }

    @Test
    void positionalWordsBeforeAndAfterTheDelimiterFormTheCommand() {
        RunCommand run = FastRunParser.parse("run", "--dry-run", "a", "--rm", "--", "b", "--rm", "-it").orElseThrow();
        assertEquals(List.of("a", "b", "--rm", "-it"), run.command);
        assertEquals(Boolean.TRUE, run.rm);
        assertEquals(new ArrayList<>(List.of("run", "--dry-run", "a", "--rm", "--", "b", "--rm", "-it")), run.jboxArgs, "what a detached monitor parses again");
    }
}
