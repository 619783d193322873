package dev.jbox.profile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code jbox profile check}: per file OK or every problem, and SandboxSpec's own validation included. */
class ProfileCheckTest {
    @TempDir
    Path dir;

    @Test
    void reportsEachFile() {
        ProfileFiles files = new ProfileFiles(dir);
        Path good = files.write("good.toml", "hostname = \"ok\"\n");
        Path bad = files.write("bad.toml", "hostname = 1\nnetwork = \"none\"\n");
        Path missing = dir.resolve("missing.toml");
        var results = new ProfileCheck(new ProfileLoader(ProfileFiles.ENV)).check(List.of(good, bad, missing));

        assertTrue(results.get(0).ok());
        assertEquals(good + ": OK", results.get(0).report());
        assertFalse(results.get(1).ok());
        assertEquals(bad + ":1:1: key `hostname`: expected a string, got an integer\n"
                + bad + ":2:1: key `network`: expected a table, got a string", results.get(1).report());
        assertEquals(missing + ": cannot read the profile: no such file", results.get(2).report());
        assertEquals(125, ProfileCheck.exitCode(results));
        assertEquals(0, ProfileCheck.exitCode(results.subList(0, 1)));
    }

    @Test
    void runsSandboxSpecValidationOnTheMergedProfile() {
        ProfileFiles files = new ProfileFiles(dir);
        Path noCommand = files.write("nocmd.toml", "command = []\n");
        var result = new ProfileCheck(new ProfileLoader(ProfileFiles.ENV)).check(noCommand);
        assertEquals(noCommand + ": no command given: put it after --, e.g. jbox run -- /bin/sh", result.report());
    }

    @Test
    void aProfileWithoutCommandIsValidSinceTheCommandLineGivesIt() {
        ProfileFiles files = new ProfileFiles(dir);
        assertTrue(new ProfileCheck(new ProfileLoader(ProfileFiles.ENV)).check(files.write("p.toml", "read_only = true\n")).ok());
    }
}
