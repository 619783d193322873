package dev.jbox.examples;

import dev.jbox.testing.Rootless;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every example profile, run for real through the CLI (a separate JVM with the distribution's
 * plugins), as the unprivileged test user, from a project directory of the test's own.
 */
class ExampleProfilesRunTest {
    static final Path PROFILES = Path.of("profiles").toAbsolutePath();
    static final Path PLUGINS = Path.of("..", "target", "dist", "plugins").toAbsolutePath().normalize();

    record Result(int status, String out, String err) {}

    @BeforeAll
    static void unprivileged() {
        Rootless.assumeUnprivileged();
    }

    static ProcessBuilder jbox(Path cwd, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-Djbox.plugins.dir=" + PLUGINS,
                "-cp", System.getProperty("java.class.path"), "dev.jbox.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().put("PWD", cwd.toString());  // ${PWD} in the profiles means the project directory
        return pb;
    }

    static Result run(Path cwd, String... args) throws Exception {
        Process p = jbox(cwd, args).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Result(p.exitValue(), out, err.get());
    }

    static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void buildWritesTheProjectAndNothingElse(@TempDir Path project) throws Exception {
        Result r = run(project, "run", "--profile", PROFILES.resolve("build.toml").toString(), "--",
                "sh", "-c", "echo built > out.txt; touch /usr/jbox-example 2>/dev/null || echo root-read-only");
        assertEquals(0, r.status(), r.err());
        assertEquals("built\n", Files.readString(project.resolve("out.txt")));
        assertEquals("root-read-only\n", r.out());
    }

    @Test
    void offlineTestsSeeAReadOnlyProjectAScratchTargetAndNoNetwork(@TempDir Path project) throws Exception {
        Files.createDirectories(project.resolve("target"));
        Result r = run(project, "run", "--profile", PROFILES.resolve("offline-tests.toml").toString(), "--",
                "sh", "-c", "touch target/x && echo target-writable; touch y 2>/dev/null || echo project-read-only; "
                        + "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '; echo CI=$CI");
        assertEquals(0, r.status(), r.err());
        assertEquals(List.of("target-writable", "project-read-only", "lo", "CI=true"), r.out().lines().toList());
        assertFalse(Files.exists(project.resolve("target/x")), "the target tmpfs is the sandbox's own");
    }

    @Test
    void webappAnswersOnItsPublishedPort(@TempDir Path project) throws Exception {
        Files.writeString(project.resolve("index.html"), "hello from the example webapp\n");
        int port;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Process p = jbox(project, "run", "--profile", PROFILES.resolve("webapp.toml").toString(), "-p", "127.0.0.1:" + port + ":8080")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        try {
            HttpClient http = HttpClient.newHttpClient();
            String body = null;
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); body == null && System.nanoTime() < deadline && p.isAlive(); ) {
                try {
                    body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/index.html")).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
                } catch (IOException notYet) {
                    Thread.sleep(200);
                }
            }
            assertEquals("hello from the example webapp\n", body, "jbox: " + (p.isAlive() ? "running" : err.get()));
        } finally {
            p.toHandle().destroy();  // SIGTERM to jbox, forwarded; SIGKILL after the profile's 5 s stop timeout
            assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        }
    }

    @Test
    void untrustedRunsWithItsLimitsOrIsRefusedNeverUnlimited(@TempDir Path project) throws Exception {
        Result r = run(project, "run", "--profile", PROFILES.resolve("untrusted.toml").toString(), "--",
                "sh", "-c", "cat /proc/self/status | grep -E '^(CapEff|NoNewPrivs|Seccomp):'; cat /sys/fs/cgroup/pids.max 2>/dev/null");
        if (r.status() == 125) {
            // No delegated cgroup v2 here (e.g. a cgroup v1 host): the limits are refused, not ignored.
            assertTrue(r.err().contains("cgroup"), r.err());
            return;
        }
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("CapEff:\t0000000000000000") && r.out().contains("NoNewPrivs:\t1") && r.out().contains("Seccomp:\t2"), r.out());
        assertTrue(r.out().contains("64"), "pids limit applied: " + r.out());
    }
}
