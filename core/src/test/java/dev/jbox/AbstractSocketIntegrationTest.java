package dev.jbox;

import dev.jbox.linux.Landlock;
import dev.jbox.plan.Step;
import dev.jbox.plugins.Plugins;
import dev.jbox.spec.NetworkMode;
import dev.jbox.spec.NetworkSpec;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.testing.Capture;
import dev.jbox.testing.Rootless;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The host's abstract unix sockets and --network host: a listener on the host (python3: Java
 * cannot bind abstract names) is out of reach of a sandbox on the host's network where Landlock
 * scopes them, reachable with the opt-out; sockets inside a sandbox keep working. The sandboxes
 * run on the host's root (read-only), where python3 is.
 */
class AbstractSocketIntegrationTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    /** Binds argv[1] as an abstract name, says "ready", and answers every connection with "hello". */
    private static final String LISTENER = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX)
            s.bind("\\0" + sys.argv[1]); s.listen(16)
            print("ready", flush=True)
            while True:
                c, _ = s.accept(); c.sendall(b"hello"); c.close()
            """;
    /** Connects to argv[1]: prints what it read, or the errno. */
    private static final String CONNECT = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX)
            try:
                s.connect("\\0" + sys.argv[1]); print(s.recv(5).decode())
            except OSError as e:
                print("errno", e.errno)
            """;
    private static final String EPERM = "errno 1", ECONNREFUSED = "errno 111";

    private static String name;
    private static Process listener;

    @BeforeAll
    static void listenOnTheHost() throws Exception {
        Rootless.assumeUnprivileged();
        assumeTrue(Files.isExecutable(PYTHON), "needs " + PYTHON + " to bind an abstract unix socket on the host");
        name = "jbox-test-" + ProcessHandle.current().pid() + "-" + ThreadLocalRandom.current().nextInt(1 << 30);
        listener = new ProcessBuilder(PYTHON.toString(), "-c", LISTENER, name).redirectErrorStream(true).start();
        var out = new BufferedReader(new InputStreamReader(listener.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("ready", out.readLine(), "the host's listener started");
    }

    @AfterAll
    static void stopListening() {
        if (listener != null) listener.destroyForcibly();
    }

    static SandboxSpec.Builder connect(NetworkSpec network) {
        return SandboxSpec.builder().command(PYTHON.toString(), "-c", CONNECT, name).network(network);
    }

    static NetworkSpec host(boolean allowAbstractSockets) {
        return new NetworkSpec(NetworkMode.HOST, List.of(), false, allowAbstractSockets);
    }

    static String output(SandboxSpec.Builder spec) {
        Capture c = Capture.run(spec);
        assertEquals(0, c.status(), c.err());
        return c.out().strip();
    }

    /** How many Landlock steps the sandbox's plan has. */
    static long restrictions(SandboxSpec.Builder spec) {
        return new Sandbox(Plugins.none()).plan(spec.build()).steps().stream().filter(s -> s instanceof Step.RestrictLandlock).count();
    }

    static boolean kernelScopes() {
        return Landlock.scopesAbstractUnixSockets(Landlock.abi());
    }

    @Test
    void theHostNetworkKeepsTheHostsAbstractSocketsOut() {
        assumeTrue(kernelScopes(), "Landlock ABI " + Landlock.abi() + " cannot scope abstract unix sockets (needs ABI 6, Linux 6.12)");
        assertEquals(1, restrictions(connect(host(false))), "the parent probed the ABI and planned the step");
        assertEquals(EPERM, output(connect(host(false))));
    }

    @Test
    void withTheOptOutTheHostsAbstractSocketsAreReachable() {
        assertEquals("hello", output(connect(host(true))));
    }

    @Test
    void withoutScopingTheSandboxRunsWithoutTheStepAndReachesThem() {
        assumeFalse(kernelScopes(), "this kernel scopes abstract unix sockets (Landlock ABI " + Landlock.abi() + ")");
        assertEquals(0, restrictions(connect(host(false))));
        assertEquals("hello", output(connect(host(false))), "the documented gap");
    }

    @Test
    void aSandboxInItsOwnNetnsHasItsOwnAbstractSockets() {
        assertEquals(ECONNREFUSED, output(connect(NetworkSpec.NONE)), "no such name in the sandbox's netns");
    }

    /**
     * A server and a client in one sandbox share its Landlock domain: the scope lets them talk. (Under
     * --network host the name is in the host's namespace: unique to this run.)
     */
    @Test
    void socketsMadeInsideTheSandboxWorkUnderTheScope() {
        String both = """
                import os, socket, sys
                l = socket.socket(socket.AF_UNIX); l.bind("\\0" + sys.argv[1]); l.listen(1)
                if os.fork() == 0:
                    c = socket.socket(socket.AF_UNIX); c.connect("\\0" + sys.argv[1]); c.sendall(b"inside"); os._exit(0)
                print(l.accept()[0].recv(6).decode())
                """;
        for (NetworkSpec network : List.of(host(false), NetworkSpec.NONE)) {
            SandboxSpec.Builder spec = SandboxSpec.builder().command(PYTHON.toString(), "-c", both, name + "-inside").network(network);
            assertEquals("inside", output(spec), network.mode().label());
        }
    }
}
