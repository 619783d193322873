package dev.jbox.plugin.storage;

import dev.jbox.JboxException;
import dev.jbox.plugin.storage.auth.AuthFiles;
import dev.jbox.plugin.storage.auth.Credentials;
import dev.jbox.plugin.storage.auth.RegistryAuth;
import dev.jbox.plugin.storage.cli.LoginCommand;
import dev.jbox.plugin.storage.cli.LogoutCommand;
import dev.jbox.plugin.storage.store.ImageRecord;
import dev.jbox.plugin.storage.store.Trees;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Pulls from a private registry: Debian's docker-registry with htpasswd (bcrypt, made by
 * apache2-utils' htpasswd) Basic authentication, and a token-auth registry whose token service
 * wants a password. Credentials come from where podman, skopeo and docker keep them.
 */
class RegistryCredentialsTest {
    static final Path HTPASSWD = Path.of("/usr/bin/htpasswd");
    static final String USER = "alice", PASSWORD = "s3cret pass:word";

    @TempDir
    static Path tmp;
    static LocalRegistry registry;
    static String ref;
    static TestImage image;
    ImageStore store;
    Path home;

    @BeforeAll
    static void startPrivateRegistry() throws Exception {
        assumeTrue(Files.isExecutable(HTPASSWD), "apache2-utils' htpasswd makes the registry's bcrypt password file (apt install apache2-utils)");
        Process p = new ProcessBuilder(HTPASSWD.toString(), "-Bbn", USER, PASSWORD).start();
        String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "htpasswd failed");
        Path passwords = Files.writeString(tmp.resolve("htpasswd"), line + "\n");
        registry = LocalRegistry.start(tmp, """
                auth:
                  htpasswd:
                    realm: jbox-test
                    path: %s
                """.formatted(passwords));
        registry.pushAs(USER, PASSWORD);
        image = Fixtures.smallImage(3);
        ref = registry.push("private/app", "1", image);
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) registry.close();
    }

    @org.junit.jupiter.api.BeforeEach
    void freshStoreAndHome() throws Exception {
        store = Fixtures.store(Files.createTempDirectory(tmp, "store"));
        home = Files.createTempDirectory(tmp, "home");
    }

    @AfterEach
    void deleteStore() {
        Trees.delete(store.layout().root());
    }

    /** The lookup as jbox does it, in an environment of the test's making (no XDG_RUNTIME_DIR: the user's own must not count). */
    RegistryAuth auth(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of("HOME", home.toString(), "PATH", home.resolve("bin") + ":/usr/bin:/bin"));
        env.putAll(extra);
        return new RegistryAuth(Optional.empty(), new AuthFiles(env));
    }

    static String authJson(String key, String user, String password) {
        String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return "{\"auths\": {\"" + key + "\": {\"auth\": \"" + auth + "\"}}}";
    }

    private void assertPulled(RegistryAuth auth) {
        ImageRecord pulled = store.pull(ref, auth, PullProgress.NONE);
        assertEquals(image.configDigest(), pulled.config());
    }

    @Test
    void withoutCredentialsThePullFailsNamingTheRegistryAndTheFix() {
        JboxException e = assertThrows(JboxException.class, () -> store.pull(ref, auth(Map.of()), PullProgress.NONE));
        assertEquals(125, e.exitCode());
        assertTrue(e.getMessage().startsWith("registry " + registry.host() + " asks for credentials to pull manifest"), e.getMessage());
        assertTrue(e.hint().contains("jbox login " + registry.host()) && e.hint().contains("jbox pull --creds USER:PASS " + ref), e.hint());
        assertEquals(List.of(), store.images(), "nothing stored");
    }

    @Test
    void registryAuthFileIsUsed() throws Exception {
        Path file = Files.writeString(tmp.resolve("auth-" + System.nanoTime() + ".json"), authJson(registry.host(), USER, PASSWORD));
        assertPulled(auth(Map.of("REGISTRY_AUTH_FILE", file.toString())));
    }

    @Test
    void podmansAuthJsonInTheConfigHomeIsUsedWithAUrlKey() throws Exception {
        Path file = home.resolve(".config/containers/auth.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, authJson("http://" + registry.host(), USER, PASSWORD));
        assertPulled(auth(Map.of()));
    }

    @Test
    void theMostSpecificNamespaceKeyWins() throws Exception {
        Path file = home.resolve("runtime/containers/auth.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"auths\": {\"" + registry.host() + "\": {\"auth\": \""
                + Base64.getEncoder().encodeToString((USER + ":wrong").getBytes()) + "\"}, \"" + registry.host() + "/private\": {\"auth\": \""
                + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes()) + "\"}}}");
        assertPulled(auth(Map.of("XDG_RUNTIME_DIR", home.resolve("runtime").toString())));
    }

    @Test
    void dockersCredentialHelperIsAskedWithTheRegistryOnStdin() throws Exception {
        Path asked = home.resolve("asked");
        writeHelper("test", "read server; echo \"$server\" > " + asked + "; echo '{\"ServerURL\":\"'$server'\",\"Username\":\"" + USER
                + "\",\"Secret\":\"" + PASSWORD + "\"}'");
        Files.createDirectories(home.resolve(".docker"));
        Files.writeString(home.resolve(".docker/config.json"), "{\"auths\": {}, \"credHelpers\": {\"" + registry.host() + "\": \"test\"}}");
        assertPulled(auth(Map.of()));
        assertEquals(registry.host(), Files.readString(asked).strip());
    }

    @Test
    void dockersDefaultCredsStoreIsAskedWhenNoEntryMatches() throws Exception {
        writeHelper("store", "read server; echo '{\"ServerURL\":\"'$server'\",\"Username\":\"" + USER + "\",\"Secret\":\"" + PASSWORD + "\"}'");
        Files.createDirectories(home.resolve("docker-config"));
        Files.writeString(home.resolve("docker-config/config.json"), "{\"auths\": {\"" + registry.host() + "\": {}}, \"credsStore\": \"store\"}");
        assertPulled(auth(Map.of("DOCKER_CONFIG", home.resolve("docker-config").toString())));
    }

    @Test
    void aHelperWithoutCredentialsMeansNoneAndAMissingHelperIsNamed() throws Exception {
        writeHelper("empty", "echo 'credentials not found in native keychain'; exit 1");
        Files.createDirectories(home.resolve(".docker"));
        Files.writeString(home.resolve(".docker/config.json"), "{\"credsStore\": \"empty\"}");
        JboxException none = assertThrows(JboxException.class, () -> store.pull(ref, auth(Map.of()), PullProgress.NONE));
        assertTrue(none.getMessage().contains("asks for credentials"), none.getMessage());
        Files.writeString(home.resolve(".docker/config.json"), "{\"credsStore\": \"nonexistent\"}");
        JboxException missing = assertThrows(JboxException.class, () -> store.pull(ref, auth(Map.of()), PullProgress.NONE));
        assertTrue(missing.getMessage().startsWith("docker-credential-nonexistent is not installed"), missing.getMessage());
    }

    @Test
    void givenCredentialsWinAndWrongOnesAreReportedAsRejected() throws Exception {
        assertPulled(auth(Map.of()).with(Credentials.parse(USER + ":" + PASSWORD, "--creds")));
        Trees.delete(store.layout().root());
        store = Fixtures.store(Files.createTempDirectory(tmp, "store"));
        JboxException e = assertThrows(JboxException.class,
                () -> store.pull(ref, auth(Map.of()).with(Credentials.parse(USER + ":nope", "--creds")), PullProgress.NONE));
        assertEquals(125, e.exitCode());
        assertTrue(e.getMessage().startsWith("registry " + registry.host() + " rejected the credentials of alice (from --creds)"), e.getMessage());
        assertFalse(e.userMessage().contains("nope"), "the password is never shown");
    }

    @Test
    void aTokenServiceThatWantsAPasswordGetsTheCredentials(@TempDir Path dir) throws Exception {
        try (TokenServer tokens = TokenServer.start(dir); LocalRegistry tokenRegistry = LocalRegistry.start(dir, tokens.registryConfig())) {
            tokenRegistry.pushWithToken(tokens.token("repository:private/tok:push", List.of("pull", "push")));
            String tokenRef = tokenRegistry.push("private/tok", "1", image);
            tokens.requiredAuthorization = new Credentials(USER, PASSWORD, "test").basicAuthorization();
            JboxException anonymous = assertThrows(JboxException.class, () -> store.pull(tokenRef, auth(Map.of()), PullProgress.NONE));
            assertTrue(anonymous.getMessage().startsWith("registry " + tokenRegistry.host() + " asks for credentials"), anonymous.getMessage());
            Path file = Files.writeString(dir.resolve("auth.json"), authJson(tokenRegistry.host(), USER, PASSWORD));
            assertEquals(image.configDigest(), store.pull(tokenRef, auth(Map.of("REGISTRY_AUTH_FILE", file.toString())), PullProgress.NONE).config());
        }
    }

    @Test
    void loginChecksTheCredentialsKeepsThemWherePodmanDoesAndLogoutRemovesThem() throws Exception {
        Map<String, String> env = Map.of("HOME", home.toString(), "XDG_RUNTIME_DIR", home.resolve("run").toString());
        Path file = home.resolve("run/containers/auth.json");
        JboxException wrong = assertThrows(JboxException.class, () -> cli(new LoginCommand(env), "-u", USER, "-p", "nope", registry.host()));
        assertTrue(wrong.getMessage().startsWith("registry " + registry.host() + " rejected the credentials of alice (from jbox login)"), wrong.getMessage());
        assertFalse(Files.exists(file), "nothing kept");

        assertTrue(cli(new LoginCommand(env), "-u", USER, "-p", PASSWORD, registry.host()).startsWith("Login Succeeded!"));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertPulled(auth(env));

        assertEquals("Removed login credentials for " + registry.host() + "\n", cli(new LogoutCommand(env), registry.host()));
        JboxException again = assertThrows(JboxException.class, () -> cli(new LogoutCommand(env), registry.host()));
        assertTrue(again.getMessage().startsWith("not logged in to " + registry.host()), again.getMessage());
        assertTrue(Files.readString(file).contains("\"auths\""), "the file stays, without the entry");
    }

    @Test
    void loginToATokenRegistryAsksTheTokenServiceWithTheCredentials(@TempDir Path dir) throws Exception {
        try (TokenServer tokens = TokenServer.start(dir); LocalRegistry tokenRegistry = LocalRegistry.start(dir, tokens.registryConfig())) {
            tokens.requiredAuthorization = new Credentials(USER, PASSWORD, "test").basicAuthorization();
            Map<String, String> env = Map.of("HOME", home.toString(), "REGISTRY_AUTH_FILE", dir.resolve("auth.json").toString());
            assertThrows(JboxException.class, () -> cli(new LoginCommand(env), "-u", USER, "-p", "nope", tokenRegistry.host()));
            assertTrue(cli(new LoginCommand(env), "-u", USER, "-p", PASSWORD, tokenRegistry.host()).startsWith("Login Succeeded!"));
            assertEquals(Optional.of(USER), new AuthFiles(env).find(dev.jbox.plugin.storage.oci.ImageReference.parse(tokenRegistry.host() + "/any/repo"))
                    .map(Credentials::username));
        }
    }

    @Test
    void aBrokenCredentialHelperDoesNotStopAPublicPull(@TempDir Path dir) throws Exception {
        try (TokenServer tokens = TokenServer.start(dir); LocalRegistry tokenRegistry = LocalRegistry.start(dir, tokens.registryConfig())) {
            tokenRegistry.pushWithToken(tokens.token("repository:public/app:push", List.of("pull", "push")));
            String publicRef = tokenRegistry.push("public/app", "1", image);
            Files.createDirectories(home.resolve(".docker"));
            Files.writeString(home.resolve(".docker/config.json"), "{\"credsStore\": \"desktop\"}");  // not installed here
            assertEquals(image.configDigest(), store.pull(publicRef, auth(Map.of()), PullProgress.NONE).config(), "anonymous token");
            tokens.requiredAuthorization = new Credentials(USER, PASSWORD, "test").basicAuthorization();
            Trees.delete(store.layout().root());
            store = Fixtures.store(Files.createTempDirectory(tmp, "store"));
            JboxException e = assertThrows(JboxException.class, () -> store.pull(publicRef, auth(Map.of()), PullProgress.NONE));
            assertTrue(e.getMessage().startsWith("docker-credential-desktop is not installed"), "the helper is named when credentials are needed: " + e.getMessage());
        }
    }

    /** Parses and runs a command as the CLI would (a JboxException passes through); returns what it printed. */
    private static String cli(java.util.concurrent.Callable<Integer> command, String... args) throws Exception {
        java.io.StringWriter out = new java.io.StringWriter();
        new picocli.CommandLine(command).setOut(new java.io.PrintWriter(out, true)).parseArgs(args);
        assertEquals(0, command.call(), out.toString());
        return out.toString();
    }

    private void writeHelper(String name, String script) throws Exception {
        Path bin = Files.createDirectories(home.resolve("bin"));
        Path helper = Files.writeString(bin.resolve("docker-credential-" + name), "#!/bin/sh\n" + script + "\n");
        assertTrue(helper.toFile().setExecutable(true));
    }
}
