package dev.jbox.plugin.net;

import dev.jbox.JboxException;
import dev.jbox.linux.Linux;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.*;

class SandboxNetDirTest {
    @Test
    void createdPrivateAndRemovedWithTheSandboxDirectory(@TempDir Path tmp) throws Exception {
        Path runtime = tmp.resolve("jbox");
        SandboxNetDir dir = SandboxNetDir.create(runtime, "abc123", Linux.getuid());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(runtime)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.path())));
        Path hosts = dir.writeReadable("hosts", "127.0.0.1 localhost\n");
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(hosts)), "the workload may not be root");
        dir.delete();
        assertFalse(Files.exists(runtime.resolve("abc123")));
        assertTrue(Files.isDirectory(runtime), "the runtime dir stays for other sandboxes");
    }

    @Test
    void theSandboxDirectoryStaysWhileAnotherPluginUsesIt(@TempDir Path tmp) throws Exception {
        SandboxNetDir dir = SandboxNetDir.create(tmp, "abc", Linux.getuid());
        Files.writeString(tmp.resolve("abc/other-plugin"), "x");
        dir.delete();
        assertFalse(Files.exists(dir.path()));
        assertTrue(Files.exists(tmp.resolve("abc/other-plugin")));
    }

    @Test
    void aSymlinkedRuntimeDirectoryIsRefused(@TempDir Path tmp) throws Exception {
        Path elsewhere = Files.createDirectory(tmp.resolve("elsewhere"));
        Path runtime = Files.createSymbolicLink(tmp.resolve("jbox-1001"), elsewhere);
        JboxException e = assertThrows(JboxException.class, () -> SandboxNetDir.create(runtime, "abc", Linux.getuid()));
        assertTrue(e.getMessage().contains("is not a directory of uid"), e.getMessage());
    }

    @Test
    void directoriesOfDeadOwnersAreSweptAndLiveOnesKept(@TempDir Path runtime) throws Exception {
        SandboxNetDir mine = SandboxNetDir.create(runtime, "live", Linux.getuid());
        SandboxNetDir orphan = SandboxNetDir.create(runtime, "dead", Linux.getuid());
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(orphan.resolve(SandboxNetDir.OWNER), new SandboxNetDir.Owner(gone.pid(), 0).toString());
        SandboxNetDir reused = SandboxNetDir.create(runtime, "reused", Linux.getuid());  // our pid, another start time
        Files.writeString(reused.resolve(SandboxNetDir.OWNER), new SandboxNetDir.Owner(ProcessHandle.current().pid(), 1).toString());
        Path foreign = Files.createDirectories(runtime.resolve("other/net"));  // no owner file: not ours to judge

        SandboxNetDir.sweepStale(runtime);

        assertTrue(Files.isDirectory(mine.path()));
        assertFalse(Files.exists(runtime.resolve("dead")));
        assertFalse(Files.exists(runtime.resolve("reused")));
        assertTrue(Files.isDirectory(foreign));
    }

    @Test
    void sweepingAMissingRuntimeDirectoryIsQuiet(@TempDir Path tmp) {
        SandboxNetDir.sweepStale(tmp.resolve("none"));
    }
}
