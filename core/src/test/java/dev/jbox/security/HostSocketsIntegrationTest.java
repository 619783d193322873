package dev.jbox.security;

import dev.jbox.spec.SandboxSpec;
import dev.jbox.testing.Capture;
import dev.jbox.testing.HostSockets;
import dev.jbox.testing.Rootless;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 15: a service listening on a unix socket on the host is out of the sandbox's reach unless
 * the socket is bound by its own path. Real listeners in the places a user's services use (home,
 * /tmp, /var/tmp, the runtime directory), real sandboxes on the default root, as the test user.
 */
class HostSocketsIntegrationTest {
    private final List<Path> dirs = new ArrayList<>();

    @BeforeAll
    static void unprivileged() {
        Rootless.assumeUnprivileged();
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/perl")), "needs /usr/bin/perl (Debian's perl-base) to listen and connect");
    }

    /** A directory in each place, named so that a leftover is recognisable. */
    private Path dirIn(String parent) throws IOException {
        Path d = Files.createTempDirectory(Path.of(parent), "jbox-it-sock-");
        dirs.add(d);
        return d;
    }

    @BeforeEach
    void places() {
        dirs.clear();
    }

    @AfterEach
    void removeDirs() throws IOException {
        for (Path d : dirs) {
            try (Stream<Path> walk = Files.walk(d)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    private static Map<String, String> probe(HostSockets sockets, SandboxSpec.Builder spec) {
        Capture c = Capture.run(spec.command(sockets.probe()));
        assertEquals(0, c.status(), c.err());
        return HostSockets.answers(c.out());
    }

    @Test
    void noHostSocketIsReachableFromTheDefaultRoot() throws Exception {
        List<String> paths = new ArrayList<>(List.of(
                dirIn(System.getProperty("user.home")) + "/agent.sock",
                dirIn(System.getProperty("user.home")) + "/with space ü.sock",
                dirIn("/tmp") + "/x.sock",
                dirIn("/var/tmp") + "/y.sock"));
        Path runtime = Path.of("/run/user/" + dev.jbox.linux.Linux.getuid());
        if (Files.isDirectory(runtime) && Files.isWritable(runtime)) paths.add(dirIn(runtime.toString()) + "/bus");
        try (HostSockets s = HostSockets.listenOn(paths.toArray(String[]::new))) {
            Map<String, String> answers = probe(s, SandboxSpec.builder());
            assertEquals(paths.size(), answers.size(), answers.toString());
            answers.forEach((path, answer) -> assertTrue(answer.startsWith("refused"), path + ": " + answer));
        }
    }

    @Test
    void aSocketBoundByItsOwnPathIsReachableThereAndHiddenEverywhereElse() throws Exception {
        Path home = dirIn(System.getProperty("user.home"));
        String socket = home + "/db.sock";
        try (HostSockets s = HostSockets.listenOn(socket)) {
            Capture c = Capture.run(SandboxSpec.builder()
                    .bind(Path.of(socket), socket, false)
                    .bind(home, "/tmp/home", true)
                    .command("/usr/bin/perl", "-e", probeBoth(), socket, "/tmp/home/db.sock"));
            assertEquals(0, c.status(), c.err());
            assertEquals(List.of(socket + "\tconnected", "/tmp/home/db.sock\trefused"), c.out().lines().toList(),
                    "a socket inside a bound tree is not bound: only the bind of the socket itself is");
        }
    }

    @Test
    void aSocketWhoseNameIsNotUtf8IsHiddenToo() throws Exception {
        Path home = dirIn(System.getProperty("user.home"));
        byte[] name = concat(home.toString().getBytes(StandardCharsets.UTF_8), new byte[] {'/', 'n', (byte) 0xff, (byte) 0xfe, '.', 's'});
        try (HostSockets s = HostSockets.listen(List.of(name))) {
            Map<String, String> answers = probe(s, SandboxSpec.builder());
            assertEquals(1, answers.size(), answers.toString());
            answers.forEach((path, answer) -> assertTrue(answer.startsWith("refused"), path + ": " + answer));
        }
    }

    @Test
    void aDirectoryRootHidesTheSocketsInIt() throws Exception {
        Path root = dev.jbox.testing.TestRootfs.fresh();
        Path runDir = Files.createDirectories(root.resolve("run/app"));
        try (HostSockets s = HostSockets.listenOn(runDir + "/app.sock")) {
            Capture c = Capture.run(SandboxSpec.builder().rootfs(root).command("/bin/stat", "-c", "%F", "/run/app/app.sock"));
            assertEquals(0, c.status(), c.err());
            assertEquals("character special file\n", c.out(), "/dev/null over it, not the socket");
        }
    }

    /** Connects to each path given as is; prints "PATH\tconnected" or "PATH\trefused". */
    private static String probeBoth() {
        return "use Socket; for my $p (@ARGV) { socket(my $s, PF_UNIX, SOCK_STREAM, 0) or die; "
                + "print $p, \"\\t\", (connect($s, pack_sockaddr_un($p)) ? 'connected' : 'refused'), \"\\n\" }";
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
