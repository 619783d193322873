package dev.jbox.plugin.storage;

import dev.jbox.plugin.storage.store.ImageRecord;
import dev.jbox.plugin.storage.store.Trees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A pull from a registry that demands a bearer token: the real docker-registry with token auth, and a token service. */
class TokenAuthTest {
    @TempDir
    Path tmp;

    @Test
    void aPullFollowsTheBearerChallengeToTheTokenService() throws Exception {
        try (TokenServer tokens = TokenServer.start(tmp); LocalRegistry registry = LocalRegistry.start(tmp, tokens.registryConfig())) {
            HttpResponse<Void> anonymous = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://" + registry.host() + "/v2/")).build(), HttpResponse.BodyHandlers.discarding());
            assertEquals(401, anonymous.statusCode(), "the registry really demands a token");
            assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer "));

            registry.pushWithToken(tokens.token("repository:test/private:push", List.of("pull", "push")));
            TestImage image = Fixtures.smallImage(5);
            String ref = registry.push("test/private", "1", image);

            ImageStore store = Fixtures.store(tmp);
            try {
                ImageRecord pulled = store.pull(ref, PullProgress.NONE);
                assertEquals(image.configDigest(), pulled.config());
                assertTrue(tokens.requestedScopes.contains("repository:test/private:pull"), tokens.requestedScopes.toString());
            } finally {
                Trees.delete(store.layout().root());
            }
        }
    }
}
