package dev.jbox.linux;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.*;

/** Linux.fileType and Linux.mayWrite: what SocketScan asks of each host socket that would show. */
class FileChecksTest {
    @Test
    void aSocketIsASocketAndASymlinkToOneIsNot(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("s.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Files.createSymbolicLink(dir.resolve("link"), socket);
            assertEquals(Linux.S_IFSOCK, Linux.fileType(socket.toString()));
            assertNotEquals(Linux.S_IFSOCK, Linux.fileType(dir.resolve("link").toString()));
            assertEquals(0040000, Linux.fileType(dir.toString()));
            assertEquals(-Errno.ENOENT.number, Linux.fileType(dir.resolve("gone").toString()));
            assertTrue(Linux.mayWrite(socket.toString()));
        }
    }

    @Test
    void writePermissionAsConnectChecksIt(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Linux.getuid() != 0, "root may write anything");
        Path file = Files.createFile(dir.resolve("f"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r--r--r--")));
        assertFalse(Linux.mayWrite(file.toString()));
        Path closedDir = Files.createDirectory(dir.resolve("closed"));
        Path inside = Files.createFile(closedDir.resolve("g"));
        Files.setPosixFilePermissions(closedDir, PosixFilePermissions.fromString("rw-------"));
        assertFalse(Linux.mayWrite(inside.toString()), "no search permission on its directory");
        Files.setPosixFilePermissions(closedDir, PosixFilePermissions.fromString("rwx------"));
        assertTrue(Linux.mayWrite(inside.toString()));
    }
}
