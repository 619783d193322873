package dev.jbox.plugins;

import dev.jbox.JboxException;
import dev.jbox.spec.NetworkMode;
import dev.jbox.spec.RootFs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class PluginsTest {
    @Test
    void aMissingPluginIsAnErrorListingWhatIsInstalled(@TempDir Path empty) {
        Plugins plugins = Plugins.fromDirectory(empty);
        JboxException e = assertThrows(JboxException.class, () -> plugins.storageFor(new RootFs.Image("alpine")));
        assertEquals(125, e.exitCode());
        assertTrue(e.getMessage().contains("installed plugins: none"), e.getMessage());
        assertTrue(e.hint().contains("storage-overlay"), e.hint());
        assertTrue(assertThrows(JboxException.class, () -> plugins.networkFor(NetworkMode.SLIRP)).hint().contains("net-slirp"));
        assertTrue(assertThrows(JboxException.class, plugins::limiter).hint().contains("cgroup-delegate"));
    }

    @Test
    void noDirectoryMeansNoPlugins() {
        assertTrue(Plugins.fromDirectory(Path.of("/nonexistent/jbox-plugins")).installed().isEmpty());
        assertTrue(Plugins.none().installed().isEmpty());
    }
}
