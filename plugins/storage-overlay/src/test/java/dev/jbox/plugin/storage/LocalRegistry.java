package dev.jbox.plugin.storage;

import dev.jbox.plugin.storage.oci.Digest;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real registry for tests: Debian's {@code docker-registry} (distribution 2.8) on 127.0.0.1 with
 * its data in a temp dir, started as a child process and stopped by pid. Images are pushed through
 * the registry HTTP API, as any client would.
 */
final class LocalRegistry implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/docker-registry");

    private final Process process;
    private final Path storage;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Sent with every push when the registry wants a token or a password (see {@link TokenServer}). */
    private volatile String pushAuthorization;

    private LocalRegistry(Process process, Path storage, int port) {
        this.process = process;
        this.storage = storage;
        this.port = port;
    }

    static LocalRegistry start(Path dir) throws Exception {
        return start(dir, "");
    }

    /** Starts a registry; {@code extraConfig} is appended to its YAML (e.g. an {@code auth:} section). */
    static LocalRegistry start(Path dir, String extraConfig) throws Exception {
        assumeTrue(Files.isExecutable(BINARY), "docker-registry is not installed (apt install docker-registry)");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path storage = Files.createDirectories(dir.resolve("registry-data"));
        Path config = dir.resolve("registry.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: error
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                """.formatted(storage, port) + extraConfig);
        Process p = new ProcessBuilder(BINARY.toString(), "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        LocalRegistry r = new LocalRegistry(p, storage, port);
        r.awaitReady();
        return r;
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException("docker-registry exited with " + process.exitValue());
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri("/v2/")).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200 || r.statusCode() == 401) return;
            } catch (ConnectException notYet) {
                // starting
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("docker-registry did not answer /v2/ within 20 s");
    }

    void pushWithToken(String token) {
        pushAuthorization = "Bearer " + token;
    }

    /** Pushes with HTTP Basic authentication (a registry with htpasswd auth). */
    void pushAs(String user, String password) {
        pushAuthorization = "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        return pushAuthorization == null ? b : b.header("Authorization", pushAuthorization);
    }

    String host() {
        return "127.0.0.1:" + port;
    }

    /** Pushes blobs and the manifest as {@code repo:tag}; returns the pull reference. */
    String push(String repo, String tag, TestImage image) throws Exception {
        for (Map.Entry<Digest, byte[]> blob : image.blobs().entrySet()) pushBlob(repo, blob.getKey(), blob.getValue());
        pushManifest(repo, tag, image.manifest, image.manifestType);
        return host() + "/" + repo + ":" + tag;
    }

    void pushBlob(String repo, Digest digest, byte[] content) throws Exception {
        HttpResponse<Void> start = http.send(request(uri("/v2/" + repo + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(202, start.statusCode(), "starting a blob upload");
        String location = start.headers().firstValue("Location").orElseThrow();
        URI put = uri("/").resolve(location + (location.contains("?") ? "&" : "?") + "digest=" + digest);
        HttpResponse<String> done = http.send(request(put).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, done.statusCode(), "uploading blob " + digest + ": " + done.body());
    }

    void pushManifest(String repo, String reference, byte[] manifest, String mediaType) throws Exception {
        HttpResponse<String> r = http.send(request(uri("/v2/" + repo + "/manifests/" + reference))
                .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), "pushing manifest " + repo + ":" + reference + ": " + r.body());
    }

    /** Where the registry keeps a blob's bytes (to tamper with them behind its back). */
    Path blobFile(Digest digest) {
        return storage.resolve("docker/registry/v2/blobs/sha256/" + digest.hex().substring(0, 2) + "/" + digest.hex() + "/data");
    }

    private URI uri(String path) {
        return URI.create("http://" + host() + path);
    }

    @Override
    public void close() throws IOException {
        process.destroy(); // SIGTERM to the pid we started
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
