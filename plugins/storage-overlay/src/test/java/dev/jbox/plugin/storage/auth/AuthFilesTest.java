package dev.jbox.plugin.storage.auth;

import dev.jbox.JboxException;
import dev.jbox.plugin.storage.oci.ImageReference;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Where credentials are looked for, and how registry keys compare, as podman and docker do it. */
class AuthFilesTest {
    @Test
    void podmansOrderThenDockers() {
        assertEquals(List.of(Path.of("/run/user/1/containers/auth.json"), Path.of("/h/.config/containers/auth.json"), Path.of("/h/.docker/config.json")),
                new AuthFiles(Map.of("HOME", "/h", "XDG_RUNTIME_DIR", "/run/user/1")).paths());
        assertEquals(List.of(Path.of("/cfg/containers/auth.json"), Path.of("/d/config.json")),
                new AuthFiles(Map.of("HOME", "/h", "XDG_CONFIG_HOME", "/cfg", "DOCKER_CONFIG", "/d")).paths());
        assertEquals(List.of(Path.of("/x/auth.json")),
                new AuthFiles(Map.of("HOME", "/h", "XDG_RUNTIME_DIR", "/r", "REGISTRY_AUTH_FILE", "/x/auth.json")).paths(), "REGISTRY_AUTH_FILE alone");
    }

    @Test
    void keysFromTheMostSpecificAndDockerHubsSpellings() {
        assertEquals(List.of("quay.io/org/team/app", "quay.io/org/team", "quay.io/org", "quay.io"),
                AuthFiles.keysFor(ImageReference.parse("quay.io/org/team/app:1")));
        assertEquals("docker.io", AuthFiles.normalizeKey("https://index.docker.io/v1/"));
        assertEquals("docker.io", AuthFiles.normalizeKey("registry-1.docker.io"));
        assertEquals("127.0.0.1:5000", AuthFiles.normalizeKey("http://127.0.0.1:5000"));
        assertEquals("quay.io/org", AuthFiles.normalizeKey("quay.io/org"));
        assertEquals("https://index.docker.io/v1/", AuthFiles.serverAddress(ImageReference.parse("busybox")));
        assertEquals("quay.io", AuthFiles.serverAddress(ImageReference.parse("quay.io/org/app")));
    }

    @Test
    void credentialsDecodeAndNeverShowTheSecret() {
        Credentials c = Credentials.decode("YWxpY2U6czNjcjp0", "auth.json");  // alice:s3cr:t
        assertEquals("alice", c.username());
        assertEquals("s3cr:t", c.password());
        assertFalse(c.toString().contains("s3cr"));
        assertEquals("Basic YWxpY2U6czNjcjp0", c.basicAuthorization());
        assertEquals(new Credentials("bob", "pw:x", "--creds"), Credentials.parse("bob:pw:x", "--creds"));
        assertThrows(JboxException.class, () -> Credentials.parse("bob", "--creds"));
        assertThrows(JboxException.class, () -> Credentials.decode("%%%", "auth.json"));
    }
}
