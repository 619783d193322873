package dev.jbox.profile;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Base of the tests that write profiles into a fresh directory and load them with {@link ProfileFiles#ENV}. */
abstract class ProfileFilesTest {
    @TempDir
    Path dir;
    ProfileFiles files;

    @BeforeEach
    void createFiles() {
        files = new ProfileFiles(dir);
    }
}
