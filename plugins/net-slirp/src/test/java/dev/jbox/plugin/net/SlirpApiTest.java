package dev.jbox.plugin.net;

import dev.jbox.JboxException;
import dev.jbox.spec.PortMapping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The API client against slirp4netns's protocol: one request, one read, a reply, then close. */
class SlirpApiTest {
    static final PortMapping PORT = new PortMapping("127.0.0.1", 8080, 80, "tcp");

    @Test
    void addHostForwardRequestIsTheDocumentedJson() {
        assertEquals("{\"execute\":\"add_hostfwd\",\"arguments\":{\"proto\":\"udp\",\"host_addr\":\"0.0.0.0\",\"host_port\":5353,\"guest_port\":53}}",
                SlirpApi.addHostForwardRequest(new PortMapping("0.0.0.0", 5353, 53, "udp")));
    }

    @Test
    void errorRepliesAreRecognized() {
        assertEquals("bad request: add_hostfwd: slirp_add_hostfwd failed",
                SlirpApi.errorOf("{\"error\":{\"desc\":\"bad request: add_hostfwd: slirp_add_hostfwd failed\"}}"));
        assertNull(SlirpApi.errorOf("{\"return\":{\"id\":1}}"));
    }

    @Test
    void successfulForwardReturnsQuietly(@TempDir Path dir) throws Exception {
        CompletableFuture<String> request = serveOnce(dir.resolve("api.sock"), "{\"return\":{\"id\":1}}");
        new SlirpApi(dir.resolve("api.sock")).addHostForward(PORT);
        assertEquals(SlirpApi.addHostForwardRequest(PORT), request.get(5, TimeUnit.SECONDS));
    }

    @Test
    void refusedForwardIsAJboxErrorNamingThePort(@TempDir Path dir) throws Exception {
        serveOnce(dir.resolve("api.sock"), "{\"error\":{\"desc\":\"bad request: add_hostfwd: slirp_add_hostfwd failed\"}}");
        JboxException e = assertThrows(JboxException.class, () -> new SlirpApi(dir.resolve("api.sock")).addHostForward(PORT));
        assertTrue(e.getMessage().contains("127.0.0.1:8080:80/tcp") && e.getMessage().contains("slirp_add_hostfwd failed"), e.getMessage());
        assertTrue(e.hint().contains("8080/tcp in use"), e.hint());
    }

    @Test
    void aMissingSocketNamesIt(@TempDir Path dir) {
        IOException e = assertThrows(IOException.class, () -> new SlirpApi(dir.resolve("gone.sock")).addHostForward(PORT));
        assertTrue(e.getMessage().contains("gone.sock"), e.getMessage());
    }

    /** Answers one connection the way slirp4netns does: a single read, the reply, close. */
    static CompletableFuture<String> serveOnce(Path socket, String reply) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        return CompletableFuture.supplyAsync(() -> {
            try (server; SocketChannel c = server.accept()) {
                ByteBuffer in = ByteBuffer.allocate(4096);
                c.read(in);
                c.write(ByteBuffer.wrap(reply.getBytes(StandardCharsets.UTF_8)));
                return new String(in.array(), 0, in.position(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
