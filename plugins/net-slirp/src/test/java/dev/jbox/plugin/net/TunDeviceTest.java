package dev.jbox.plugin.net;

import dev.jbox.JboxException;
import dev.jbox.testing.Rootless;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.*;

class TunDeviceTest {
    @Test
    void aMissingDeviceSaysHowToLoadIt(@TempDir Path dir) {
        JboxException e = assertThrows(JboxException.class, () -> new TunDevice(dir.resolve("tun")).check(BackendTest.SLIRP));
        assertTrue(e.getMessage().contains("slirp4netns needs") && e.getMessage().contains("ENOENT"), e.getMessage());
        assertTrue(e.hint().contains("modprobe tun"), e.hint());
    }

    @Test
    void anInaccessibleDeviceSaysHowToOpenItUp(@TempDir Path dir) throws Exception {
        Rootless.assumeUnprivileged();  // root passes every permission check
        Path tun = Files.createFile(dir.resolve("tun"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("---------")));
        JboxException e = assertThrows(JboxException.class, () -> new TunDevice(tun).check(BackendTest.PASTA));
        assertTrue(e.getMessage().contains("pasta needs " + tun) && e.getMessage().contains("EACCES"), e.getMessage());
        assertTrue(e.hint().contains("chmod 0666 " + tun) && e.hint().contains("udev"), e.hint());
    }

    @Test
    void aUsableDevicePasses(@TempDir Path dir) throws Exception {
        new TunDevice(Files.createFile(dir.resolve("tun"))).check(BackendTest.SLIRP);
    }
}
