package dev.jbox.launch;

import dev.jbox.linux.Linux;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Which fds INHERIT hands on: the rules, on fds opened here as a caller or the JVM would open them. */
class CallerStdioTest {
    private static final int INHERITABLE = 0;

    @Test
    void aPipeEndIsTheCallersStreamInItsDirection() {
        int[] pipe = Linux.pipe2(INHERITABLE);
        try {
            assertTrue(CallerStdio.isCallerStream(pipe[0], true), "read end as stdin");
            assertTrue(CallerStdio.isCallerStream(pipe[1], false), "write end as stdout");
            assertFalse(CallerStdio.isCallerStream(pipe[0], false), "a read-only fd is no stdout: a jar or the runtime image");
            assertFalse(CallerStdio.isCallerStream(pipe[1], true), "a write-only fd is no stdin");
        } finally {
            Linux.close(pipe[0]);
            Linux.close(pipe[1]);
        }
    }

    @Test
    void closeOnExecMeansThisProcessOpenedIt() {
        int[] pipe = Linux.pipe2(Linux.O_CLOEXEC);
        try {
            assertFalse(CallerStdio.isCallerStream(pipe[0], true));
            assertFalse(CallerStdio.isCallerStream(pipe[1], false));
        } finally {
            Linux.close(pipe[0]);
            Linux.close(pipe[1]);
        }
        assertFalse(CallerStdio.isCallerStream(pipe[0], true), "closed");
    }

    @Test
    void aFileRedirectIsTheCallersStreamButNeitherADirectoryNorTheRuntimeImage(@TempDir Path dir) throws Exception {
        Path input = Files.writeString(dir.resolve("input"), "x");
        Path image = Path.of(System.getProperty("java.home"), "lib", "modules");
        assertTrue(opened(input, Linux.O_RDONLY), "< file");
        assertTrue(opened(input, Linux.O_RDWR), "<> file");
        assertFalse(opened(dir, Linux.O_RDONLY), "a directory (the CVE-2024-21626 class)");
        assertFalse(opened(image, Linux.O_RDONLY), "what the JVM puts at a closed fd 0");
    }

    private static boolean opened(Path path, int flags) {
        int fd = Linux.openat(Linux.AT_FDCWD, path.toString(), flags, 0);
        try {
            return CallerStdio.isCallerStream(fd, true);
        } finally {
            Linux.close(fd);
        }
    }
}
