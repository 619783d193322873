package dev.jbox.plugin.storage;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The token service of the registry's token authentication (what auth.docker.io is for Docker Hub):
 * it hands out RS256 JWTs, signed with a key whose self-signed certificate (made with the JDK's
 * keytool) is the registry's {@code rootcertbundle}; the certificate rides in the JWT's x5c header.
 * Anonymous clients get pull access, as on a public registry.
 */
final class TokenServer implements AutoCloseable {
    static final String SERVICE = "jbox-test-registry";
    static final String ISSUER = "jbox-test-issuer";

    private final HttpServer server;
    private final PrivateKey key;
    private final byte[] certificate;
    private final Path certificatePem;
    /** Every scope asked for, for assertions. */
    final List<String> requestedScopes = new CopyOnWriteArrayList<>();
    /** When set, the Authorization header a token request must carry (a private registry's token service). */
    volatile String requiredAuthorization;

    private TokenServer(HttpServer server, PrivateKey key, byte[] certificate, Path certificatePem) {
        this.server = server;
        this.key = key;
        this.certificate = certificate;
        this.certificatePem = certificatePem;
    }

    static TokenServer start(Path dir) throws Exception {
        Path keystore = dir.resolve("token.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-keyalg", "RSA", "-keysize", "2048", "-sigalg", "SHA256withRSA",
                "-dname", "CN=jbox-test-token", "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", "changeit", "-alias", "token").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException("keytool failed: " + out);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        Certificate cert = ks.getCertificate("token");
        Path pem = dir.resolve("token-cert.pem");
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        TokenServer t = new TokenServer(server, (PrivateKey) ks.getKey("token", "changeit".toCharArray()), cert.getEncoded(), pem);
        server.createContext("/token", exchange -> {
            String scope = query(exchange.getRequestURI().getRawQuery()).getOrDefault("scope", "");
            t.requestedScopes.add(scope);
            String required = t.requiredAuthorization;
            if (required != null && !required.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"token service\"");
                exchange.sendResponseHeaders(401, -1);
                exchange.close();
                return;
            }
            byte[] body = ("{\"token\":\"" + t.token(scope, List.of("pull")) + "\",\"expires_in\":300}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return t;
    }

    /** The {@code auth:} section of the registry's config. */
    String registryConfig() {
        return """
                auth:
                  token:
                    realm: http://127.0.0.1:%d/token
                    service: %s
                    issuer: %s
                    rootcertbundle: %s
                """.formatted(server.getAddress().getPort(), SERVICE, ISSUER, certificatePem);
    }

    /** A JWT granting {@code actions} on the repository of {@code scope} ({@code repository:NAME:ACTIONS}). */
    String token(String scope, List<String> actions) {
        List<String> access = new ArrayList<>();
        String[] parts = scope.split(":");
        if (parts.length >= 3 && parts[0].equals("repository")) {
            access.add("{\"type\":\"repository\",\"name\":\"" + parts[1] + "\",\"actions\":[\"" + String.join("\",\"", actions) + "\"]}");
        }
        long now = Instant.now().getEpochSecond();
        String header = "{\"typ\":\"JWT\",\"alg\":\"RS256\",\"x5c\":[\"" + Base64.getEncoder().encodeToString(certificate) + "\"]}";
        String claims = "{\"iss\":\"" + ISSUER + "\",\"sub\":\"\",\"aud\":\"" + SERVICE + "\",\"exp\":" + (now + 300) + ",\"nbf\":" + (now - 10)
                + ",\"iat\":" + now + ",\"jti\":\"" + UUID.randomUUID() + "\",\"access\":[" + String.join(",", access) + "]}";
        String signed = b64url(header.getBytes(StandardCharsets.UTF_8)) + "." + b64url(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key);
            rs256.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + b64url(rs256.sign());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64url(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new java.util.HashMap<>();
        if (raw == null) return q;
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) q.put(kv.substring(0, eq), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    @Override
    public void close() throws IOException {
        server.stop(0);
    }
}
