package dev.jbox.plugin.storage.source;

import dev.jbox.JboxException;
import dev.jbox.plugin.storage.auth.Credentials;
import dev.jbox.plugin.storage.auth.RegistryAuth;
import dev.jbox.plugin.storage.oci.Digest;
import dev.jbox.plugin.storage.oci.ImageReference;
import dev.jbox.plugin.storage.oci.Json;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * The read side of the OCI distribution API for one repository: manifests and blobs. Anonymous
 * until the registry answers 401; then, as its {@code WWW-Authenticate} challenge says, HTTP Basic
 * with the user's credentials, or a bearer token from its token service (asked with the
 * credentials when there are any). HTTPS, except for registries on the loopback interface.
 */
public final class RegistryClient {
    private static final int MAX_MANIFEST_BYTES = 4 << 20;
    private static final int MAX_REDIRECTS = 5;

    /** A manifest as served: bytes and the Content-Type header. */
    public record Fetched(byte[] bytes, String contentType) {}

    private final ImageReference ref;
    private final URI base;
    private final HttpClient http;
    private final RegistryAuth auth;
    /** The Authorization header that worked ("Bearer …", "Basic …"), or null while anonymous. */
    private volatile String authorization;
    private Optional<Credentials> credentials;
    /** Why the credentials could not be looked up (a credential helper that is missing or failed), if so. */
    private volatile JboxException lookupFailure;

    public RegistryClient(ImageReference ref, RegistryAuth auth) {
        this.ref = ref;
        this.auth = auth;
        this.base = URI.create((ref.isLoopback() ? "http://" : "https://") + ref.apiHost());
        // Redirects are followed by hand: a blob redirect to a CDN must not carry our token.
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(30)).build();
    }

    public Fetched manifest(String reference, String accept) throws IOException {
        HttpResponse<InputStream> r = get(base.resolve("/v2/" + ref.repository() + "/manifests/" + reference), accept,
                "manifest " + ref.name() + ":" + reference);
        try (InputStream in = r.body()) {
            byte[] bytes = in.readNBytes(MAX_MANIFEST_BYTES + 1);
            if (bytes.length > MAX_MANIFEST_BYTES) throw new JboxException("manifest " + reference + " of " + ref.name() + " is larger than 4 MiB");
            return new Fetched(bytes, r.headers().firstValue("Content-Type").orElse(null));
        }
    }

    /** {@code jbox login}: {@code GET /v2/} with the credentials, as podman login checks them; throws if they are rejected. */
    public void checkCredentials() throws IOException {
        try (InputStream in = get(base.resolve("/v2/"), "application/json", "its API (/v2/)").body()) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }

    public InputStream blob(Digest digest) throws IOException {
        return get(base.resolve("/v2/" + ref.repository() + "/blobs/" + digest), "*/*", "blob " + digest + " of " + ref.name()).body();
    }

    private HttpResponse<InputStream> get(URI uri, String accept, String what) throws IOException {
        HttpResponse<InputStream> r = send(uri, accept, authorization, what);
        if (r.statusCode() == 401) {
            Optional<AuthChallenge> challenge = AuthChallenge.parse(r.headers().firstValue("WWW-Authenticate").orElse(null));
            r.body().close();
            authorization = authorize(challenge.orElseThrow(() -> new JboxException(
                    "registry " + ref.registry() + " refused " + what + " (HTTP 401) without saying how to authenticate")), what);
            r = send(uri, accept, authorization, what);
            if (r.statusCode() == 401 || r.statusCode() == 403) {
                r.body().close();
                throw rejected(what, r.statusCode());
            }
        }
        for (int hops = 0; isRedirect(r.statusCode()) && hops < MAX_REDIRECTS; hops++) {
            URI next = uri.resolve(r.headers().firstValue("Location").orElseThrow(() -> new JboxException(what + ": redirect without Location")));
            r.body().close();
            r = send(next, accept, sameOrigin(uri, next) ? authorization : null, what);
            uri = next;
        }
        if (r.statusCode() / 100 != 2) {
            String body = new String(r.body().readNBytes(512), StandardCharsets.UTF_8).strip();
            r.body().close();
            if (r.statusCode() == 404) {
                throw new JboxException(what + " not found in registry " + ref.registry(), "check the name and tag (jbox pull NAME:TAG)");
            }
            if (r.statusCode() == 401 || r.statusCode() == 403) throw rejected(what, r.statusCode());
            throw new JboxException("registry " + ref.registry() + " answered HTTP " + r.statusCode() + " for " + what
                    + (body.isEmpty() ? "" : ": " + body));
        }
        return r;
    }

    /** The Authorization header the challenge asks for: Basic with the credentials, or a bearer token. */
    private String authorize(AuthChallenge challenge, String what) throws IOException {
        if (challenge.isBearer()) return "Bearer " + fetchToken(challenge, what);
        if (challenge.scheme().equalsIgnoreCase("Basic")) return credentials().orElseThrow(() -> needsCredentials(what)).basicAuthorization();
        throw new JboxException("registry " + ref.registry() + " wants " + challenge.scheme() + " authentication for " + what,
                "jbox speaks Basic and bearer-token authentication");
    }

    /** The credentials for this registry, looked up once (a credential helper runs at most once per pull). */
    private synchronized Optional<Credentials> credentials() {
        if (lookupFailure != null) throw lookupFailure;
        if (credentials == null) {
            try {
                credentials = auth.forRegistry(ref);
            } catch (JboxException e) {
                lookupFailure = e;
                throw e;
            }
        }
        return credentials;
    }

    private JboxException needsCredentials(String what) {
        if (lookupFailure != null) return lookupFailure;
        return new JboxException("registry " + ref.registry() + " asks for credentials to pull " + what, auth.hint(ref));
    }

    /** Denied: with credentials, they were wrong (or lack access); without, some are needed. */
    private JboxException rejected(String what, int status) {
        Optional<Credentials> used = credentials == null ? Optional.empty() : credentials;
        if (used.isEmpty()) return needsCredentials(what);
        return new JboxException("registry " + ref.registry() + " rejected the credentials of " + used.get().username() + " (from "
                + used.get().source() + ") for " + what + " (HTTP " + status + ")",
                ref.repository().isEmpty() ? "check the user name and password"
                        : "check the user name and password and that the user may pull " + ref.name() + ", or log in again");
    }

    private String fetchToken(AuthChallenge challenge, String what) throws IOException {
        String realm = challenge.param("realm");
        if (realm == null) throw new JboxException("registry " + ref.registry() + ": bearer challenge without realm");
        // A login (no repository) asks for a token without a scope: it only proves the credentials.
        String scope = Optional.ofNullable(challenge.param("scope")).orElse(ref.repository().isEmpty() ? null : "repository:" + ref.repository() + ":pull");
        StringBuilder query = new StringBuilder();
        if (scope != null) query.append("scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
        if (challenge.param("service") != null) {
            query.append(query.isEmpty() ? "" : "&").append("service=").append(URLEncoder.encode(challenge.param("service"), StandardCharsets.UTF_8));
        }
        URI uri = URI.create(query.isEmpty() ? realm : realm + (realm.contains("?") ? "&" : "?") + query);
        // With the user's credentials if there are any (as docker does: the token then carries their access), else anonymous.
        // A broken credential helper (a credsStore copied from another machine) must not stop public pulls: it is
        // reported only if the token service then wants credentials.
        Optional<Credentials> creds;
        try {
            creds = credentials();
        } catch (JboxException e) {
            lookupFailure = e;
            creds = Optional.empty();
        }
        HttpResponse<InputStream> r = send(uri, "application/json", creds.map(Credentials::basicAuthorization).orElse(null), "a token from " + realm);
        try (InputStream in = r.body()) {
            byte[] body = in.readNBytes(1 << 20);
            if (r.statusCode() == 401 || r.statusCode() == 403) throw rejected(what, r.statusCode());
            if (r.statusCode() != 200) throw new JboxException("getting a pull token from " + realm + ": HTTP " + r.statusCode());
            TokenResponse t = Json.parse(body, TokenResponse.class, "token response of " + realm);
            String value = t.token() != null ? t.token() : t.access_token();
            if (value == null) throw new JboxException("the token response of " + realm + " has no token");
            return value;
        }
    }

    /** The token endpoint's answer; registries use either field name. */
    record TokenResponse(String token, String access_token) {}

    private HttpResponse<InputStream> send(URI uri, String accept, String authorization, String what) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).GET().header("Accept", accept).header("User-Agent", "jbox");
        if (authorization != null) b.header("Authorization", authorization);
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException e) {
            throw new JboxException("fetching " + what + ": cannot connect to " + uri.getAuthority() + " (" + cause(e) + ")",
                    "is the registry running and reachable?");
        } catch (SSLException e) {
            throw new JboxException("fetching " + what + ": TLS with " + uri.getAuthority() + " failed: " + e.getMessage(),
                    "jbox speaks plain HTTP only to registries on localhost/127.0.0.1");
        } catch (HttpTimeoutException e) {
            throw new JboxException("fetching " + what + ": " + uri.getAuthority() + " timed out", "is the registry reachable?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JboxException("fetching " + what + ": interrupted");
        }
    }

    /** ConnectException often has no message: name what is underneath (unresolved host, refused). */
    private static String cause(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.nio.channels.UnresolvedAddressException) return "cannot resolve the host name";
            if (t.getMessage() != null) return t.getMessage();
        }
        return "connection failed";
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equals(b.getScheme()) && a.getAuthority().equals(b.getAuthority());
    }
}
