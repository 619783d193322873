package dev.jbox.plugin.storage.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jbox.JboxException;
import dev.jbox.plugin.storage.oci.ImageReference;
import dev.jbox.plugin.storage.oci.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * {@code jbox login} and {@code logout}: the file podman writes, in podman's format, so podman,
 * skopeo and jbox share logins. {@code $REGISTRY_AUTH_FILE} if set, else
 * {@code $XDG_RUNTIME_DIR/containers/auth.json} (podman's default: gone at logout of the session),
 * else {@code $XDG_CONFIG_HOME/containers/auth.json}. Entries jbox does not know are kept; the file
 * is replaced atomically and readable by the user only.
 */
public record Logins(AuthFiles files) {
    public Path file() {
        var env = files.env();
        String explicit = env.get("REGISTRY_AUTH_FILE");
        if (explicit != null && !explicit.isEmpty()) return Path.of(explicit);
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isEmpty()) return Path.of(runtime, "containers", "auth.json");
        String config = env.get("XDG_CONFIG_HOME");
        return (config != null && !config.isEmpty() ? Path.of(config) : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config"))
                .resolve("containers/auth.json");
    }

    public void store(ImageReference registry, Credentials credentials) {
        ObjectNode root = read();
        ObjectNode auths = root.has("auths") && root.get("auths") instanceof ObjectNode a ? a : root.putObject("auths");
        for (String key : keysOf(auths, registry)) auths.remove(key);  // one spelling per registry
        String auth = Base64.getEncoder().encodeToString((credentials.username() + ":" + credentials.password()).getBytes(StandardCharsets.UTF_8));
        auths.putObject(registry.registry()).put("auth", auth);
        write(root);
    }

    /** Removes the registry's entries (any spelling); false if there were none. */
    public boolean remove(ImageReference registry) {
        ObjectNode root = read();
        if (!(root.get("auths") instanceof ObjectNode auths)) return false;
        List<String> keys = keysOf(auths, registry);
        if (keys.isEmpty()) return false;
        keys.forEach(auths::remove);
        write(root);
        return true;
    }

    /** {@code logout --all}: every entry of the file goes (credential helpers, which jbox never configures, stay). */
    public void removeAll() {
        ObjectNode root = read();
        if (root.isEmpty()) return;
        root.remove("auths");
        write(root);
    }

    private static List<String> keysOf(ObjectNode auths, ImageReference registry) {
        List<String> keys = new ArrayList<>();
        auths.fieldNames().forEachRemaining(k -> {
            if (AuthFiles.normalizeKey(k).equals(registry.registry())) keys.add(k);
        });
        return keys;
    }

    private ObjectNode read() {
        try {
            return Json.object(Files.readAllBytes(file()), "registry credentials " + file());
        } catch (NoSuchFileException e) {
            return Json.object(new byte[0], "");
        } catch (IOException e) {
            throw new JboxException("reading registry credentials " + file() + ": " + e.getMessage());
        }
    }

    private void write(ObjectNode root) {
        Path file = file();
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir)) Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path tmp = Files.createTempFile(dir, ".auth", ".json", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(tmp, Json.write(root));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new JboxException("writing registry credentials " + file + ": " + e.getMessage(), "set REGISTRY_AUTH_FILE to a writable file");
        }
    }
}
