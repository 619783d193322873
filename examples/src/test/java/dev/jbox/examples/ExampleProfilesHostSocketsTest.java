package dev.jbox.examples;

import dev.jbox.testing.HostSockets;
import dev.jbox.testing.Rootless;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.jbox.examples.ExampleProfilesRunTest.PROFILES;
import static dev.jbox.examples.ExampleProfilesRunTest.read;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 15 through the CLI: a service socket in the user's runtime directory, /run/user/UID,
 * the home directory, /tmp, /var/tmp and the project directory is unreachable from the default
 * root and from every example profile, and reachable only when bound by its own path. The
 * untrusted profile runs without its [limits] table here (this host delegates no cgroup v2; the
 * VM stage runs it whole).
 */
class ExampleProfilesHostSocketsTest {
    private final List<Path> made = new ArrayList<>();
    @TempDir
    Path project;

    @BeforeAll
    static void unprivileged() {
        Rootless.assumeUnprivileged();
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/perl")), "needs /usr/bin/perl (Debian's perl-base) to listen and connect");
    }

    @AfterEach
    void removeMade() throws IOException {
        for (Path d : made) {
            try (Stream<Path> walk = Files.walk(d)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    private Path dirIn(Path parent) throws IOException {
        Path d = Files.createTempDirectory(parent, "jbox-it-sock-");
        made.add(d);
        return d;
    }

    /** One socket in each place a user's services listen; the runtime directory is the one jbox is given. */
    private List<String> socketsEverywhere(Path runtimeDir) throws IOException {
        Path home = Path.of(System.getProperty("user.home"));
        List<String> paths = new ArrayList<>(List.of(runtimeDir + "/bus", dirIn(home) + "/agent.sock", dirIn(Path.of("/tmp")) + "/x.sock",
                dirIn(Path.of("/var/tmp")) + "/y.sock", project + "/dev-db.sock"));
        Path runUser = Path.of("/run/user/" + dev.jbox.linux.Linux.getuid());
        if (Files.isDirectory(runUser) && Files.isWritable(runUser)) paths.add(dirIn(runUser) + "/service.sock");
        return paths;
    }

    private record Result(int status, String out, String err) {}

    private Result jbox(Path runtimeDir, boolean withLocale, List<String> args) throws Exception {
        ProcessBuilder pb = ExampleProfilesRunTest.jbox(project, args.toArray(String[]::new));
        pb.environment().put("XDG_RUNTIME_DIR", runtimeDir.toString());
        if (!withLocale) {
            pb.environment().remove("LANG");
            pb.environment().remove("LC_ALL");
        }
        Process p = pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Result(p.exitValue(), out, err.get());
    }

    private Map<String, String> probeThrough(List<String> profileArgs, boolean withLocale, List<String> extra) throws Exception {
        Path runtimeDir = dirIn(Path.of(System.getProperty("user.home")));
        List<String> paths = socketsEverywhere(runtimeDir);
        paths.addAll(extra);
        try (HostSockets s = HostSockets.listenOn(paths.toArray(String[]::new))) {
            List<String> args = new ArrayList<>(List.of("run"));
            args.addAll(profileArgs);
            args.add("--");
            args.addAll(s.probe());
            Result r = jbox(runtimeDir, withLocale, args);
            assertEquals(0, r.status(), r.err());
            Map<String, String> answers = HostSockets.answers(r.out());
            assertEquals(paths.size(), answers.size(), r.out());
            return answers;
        }
    }

    private static void allRefused(Map<String, String> answers) {
        answers.forEach((path, answer) -> assertTrue(answer.startsWith("refused"), path + ": " + answer));
    }

    /** The untrusted profile without its [limits] table (the rest of it, word for word). */
    private Path untrustedWithoutLimits() throws IOException {
        List<String> kept = new ArrayList<>();
        boolean inLimits = false;
        for (String line : Files.readAllLines(PROFILES.resolve("untrusted.toml"))) {
            if (line.startsWith("[")) inLimits = line.equals("[limits]");
            if (!inLimits) kept.add(line);
        }
        Path p = dirIn(Path.of(System.getProperty("user.home"))).resolve("untrusted-mounts.toml");
        Files.write(p, kept);
        return p;
    }

    @Test
    void theDefaultRootReachesNoHostSocket() throws Exception {
        allRefused(probeThrough(List.of(), true, List.of()));
    }

    @Test
    void withoutALocaleEitherAndWhateverTheSocketsName() throws Exception {
        Path home = dirIn(Path.of(System.getProperty("user.home")));
        allRefused(probeThrough(List.of(), false, List.of(home + "/ünïcödé.sock")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"build.toml", "offline-tests.toml", "webapp.toml"})
    void anExampleProfileReachesNoHostSocket(String profile) throws Exception {
        Files.createDirectories(project.resolve("target"));  // offline-tests mounts a tmpfs there
        List<String> args = new ArrayList<>(List.of("--profile", PROFILES.resolve(profile).toString()));
        if (profile.equals("webapp.toml")) args.addAll(List.of("-p", "127.0.0.1:" + freePort() + ":8080"));  // not the host's 8080
        allRefused(probeThrough(args, true, List.of()));
    }

    private static int freePort() throws IOException {
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void theUntrustedProfilesMountsReachNoHostSocket() throws Exception {
        allRefused(probeThrough(List.of("--profile", untrustedWithoutLimits().toString()), true, List.of()));
    }

    @Test
    void aSocketBoundByItsOwnPathIsTheOnlyOneReachable() throws Exception {
        Path home = dirIn(Path.of(System.getProperty("user.home")));
        String wanted = home + "/wayland-0";
        Map<String, String> answers = probeThrough(List.of("--profile", PROFILES.resolve("build.toml").toString(), "-v", wanted + ":" + wanted),
                true, List.of(wanted));
        assertEquals("connected", answers.remove(wanted));
        allRefused(answers);
    }

    @Test
    void theDryRunShowsWhatIsHidden() throws Exception {
        Path runtimeDir = dirIn(Path.of(System.getProperty("user.home")));
        String socket = dirIn(Path.of(System.getProperty("user.home"))) + "/agent.sock";
        try (HostSockets s = HostSockets.listenOn(socket)) {
            Result r = jbox(runtimeDir, true, List.of("run", "--dry-run", "--", "true"));
            assertEquals(0, r.status(), r.err());
            assertTrue(r.out().contains("hiding host socket " + socket + " at " + socket), r.out());
            assertTrue(r.out().contains("mounting tmpfs on " + runtimeDir), r.out());
            assertTrue(r.out().contains("mounting tmpfs on /run"), r.out());
        }
    }
}
