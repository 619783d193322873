package dev.jbox.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The storage plugin's commands reach the CLI through PF4J from the distribution's plugins directory. */
class PluginCommandsTest {
    @Test
    void imagesAndRmiComeFromThePlugin(@TempDir Path data) throws Exception {
        ProcessBuilder images = ExampleProfilesRunTest.jbox(data, "images");
        images.environment().put("XDG_DATA_HOME", data.toString());
        Process p = images.start();
        String out = ExampleProfilesRunTest.read(p.getInputStream());
        assertEquals(0, p.waitFor(), ExampleProfilesRunTest.read(p.getErrorStream()));
        assertTrue(out.startsWith("NAME"), out);

        ProcessBuilder rmi = ExampleProfilesRunTest.jbox(data, "rmi", "no-such-image");
        rmi.environment().put("XDG_DATA_HOME", data.toString());
        Process r = rmi.start();
        String err = ExampleProfilesRunTest.read(r.getErrorStream());
        assertEquals(125, r.waitFor());
        assertTrue(err.startsWith("jbox: ") && err.contains("no-such-image"), err);
    }
}
