package dev.jbox.plugin.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/** A helper's log, reduced to what explains a failure. */
final class HelperLog {
    private HelperLog() {}

    /** pasta retries syslog for every line; slirp4netns warns about seccomp on every start. */
    private static final Pattern NOISE = Pattern.compile("Failed to send \\d+ bytes to syslog|WARNING: Support for seccomp is experimental"
            + "|sent tapfd=\\d+ for .*|received tapfd=\\d+|Starting slirp|\\* .*:.*");

    static List<String> significantLines(Path log) {
        try {
            return significant(new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList());
        } catch (IOException e) {
            return List.of();
        }
    }

    static List<String> significant(List<String> lines) {
        return lines.stream().map(String::strip).filter(l -> !l.isEmpty() && !NOISE.matcher(l).matches()).toList();
    }
}
