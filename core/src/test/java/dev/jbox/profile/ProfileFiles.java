package dev.jbox.profile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** Writes profiles into a directory and loads them with a fixed environment, for tests. */
final class ProfileFiles {
    static final Map<String, String> ENV = Map.of("HOME", "/home/alice", "PWD", "/work/project", "DATA", "/srv/data");

    private final Path dir;
    private final ProfileLoader loader;

    ProfileFiles(Path dir) {
        this(dir, ENV);
    }

    ProfileFiles(Path dir, Map<String, String> env) {
        this.dir = dir;
        this.loader = new ProfileLoader(env);
    }

    Path dir() {
        return dir;
    }

    Path write(String name, String toml) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            return Files.writeString(file, toml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Profile load(String name, String toml) {
        return loader.load(write(name, toml));
    }

    Profile load(Path file) {
        return loader.load(file);
    }

    /** The ProfileException's full message, asserting that loading fails with one. */
    String error(String name, String toml) {
        Path file = write(name, toml);
        return assertThrows(ProfileException.class, () -> loader.load(file)).getMessage();
    }
}
