package dev.jbox.linux;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads small /proc and /sys files. Not with Files.readString: procfs reports size 0, the JDK then
 * reads one byte first, and the integer handlers of /proc/sys answer the follow-up read with EOF,
 * so "96365" comes back as "9". A buffered reader asks for 8 KiB at once.
 */
public final class ProcFiles {
    private ProcFiles() {}

    /** The whole file, trimmed, or empty when it cannot be read. */
    public static Optional<String> read(Path file) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            StringBuilder text = new StringBuilder();
            char[] buf = new char[8192];
            for (int n; (n = r.read(buf)) > 0; ) text.append(buf, 0, n);
            return Optional.of(text.toString().trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
