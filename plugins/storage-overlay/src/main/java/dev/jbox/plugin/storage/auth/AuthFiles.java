package dev.jbox.plugin.storage.auth;

import dev.jbox.plugin.storage.oci.ImageReference;
import dev.jbox.plugin.storage.oci.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Registry credentials where podman, skopeo and docker keep them, in their order:
 * {@code $REGISTRY_AUTH_FILE} (alone, when set); else {@code $XDG_RUNTIME_DIR/containers/auth.json},
 * {@code $XDG_CONFIG_HOME/containers/auth.json} (default {@code ~/.config}), and Docker's
 * {@code $DOCKER_CONFIG/config.json} (default {@code ~/.docker}). In each file, as Docker reads it:
 * the registry's {@code credHelpers} entry, else its {@code auths} entry (the most specific
 * {@code registry/namespace} key first, as podman allows), else the {@code credsStore} helper.
 * The first file with an answer wins.
 *
 * @param env the environment to read the variables (and a credential helper's PATH) from
 */
public record AuthFiles(Map<String, String> env) {
    public static AuthFiles fromEnvironment() {
        return new AuthFiles(System.getenv());
    }

    /** The files consulted, in order (they need not exist). */
    public List<Path> paths() {
        String explicit = env.get("REGISTRY_AUTH_FILE");
        if (explicit != null && !explicit.isEmpty()) return List.of(Path.of(explicit));
        List<Path> out = new ArrayList<>();
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isEmpty()) out.add(Path.of(runtime, "containers", "auth.json"));
        String config = env.get("XDG_CONFIG_HOME");
        out.add((config != null && !config.isEmpty() ? Path.of(config) : Path.of(home, ".config")).resolve("containers/auth.json"));
        String docker = env.get("DOCKER_CONFIG");
        out.add((docker != null && !docker.isEmpty() ? Path.of(docker) : Path.of(home, ".docker")).resolve("config.json"));
        return out;
    }

    public Optional<Credentials> find(ImageReference ref) {
        for (Path file : paths()) {
            Optional<AuthFile> content = read(file);
            if (content.isEmpty()) continue;
            Optional<Credentials> found = find(content.get(), file, ref);
            if (found.isPresent()) return found;
        }
        return Optional.empty();
    }

    private Optional<Credentials> find(AuthFile file, Path path, ImageReference ref) {
        String registry = normalize(ref.registry());
        for (var helper : file.credHelpers().entrySet()) {
            if (normalize(helper.getKey()).equals(registry)) return CredentialHelper.get(helper.getValue(), helper.getKey(), env.get("PATH"), path.toString());
        }
        for (String key : keysFor(ref)) {
            for (var entry : file.auths().entrySet()) {
                AuthFile.Entry e = entry.getValue();
                if (e != null && e.auth() != null && !e.auth().isEmpty() && normalizeKey(entry.getKey()).equals(key)) {
                    return Optional.of(Credentials.decode(e.auth(), path + " (" + entry.getKey() + ")"));
                }
            }
        }
        if (file.credsStore() != null && !file.credsStore().isEmpty()) {
            return CredentialHelper.get(file.credsStore(), serverAddress(ref), env.get("PATH"), path.toString());
        }
        return Optional.empty();
    }

    /** {@code registry/ns/repo}, {@code registry/ns}, {@code registry}: the most specific first. */
    static List<String> keysFor(ImageReference ref) {
        List<String> keys = new ArrayList<>();
        String key = normalize(ref.registry()) + "/" + ref.repository();
        while (true) {
            keys.add(key);
            int slash = key.lastIndexOf('/');
            if (slash < 0) return keys;
            key = key.substring(0, slash);
        }
    }

    /** What Docker calls the server: its Hub is {@code https://index.docker.io/v1/}. */
    static String serverAddress(ImageReference ref) {
        return normalize(ref.registry()).equals(ImageReference.DOCKER_HUB) ? "https://index.docker.io/v1/" : ref.registry();
    }

    /** An auths key as podman compares it: a URL ({@code https://index.docker.io/v1/}) becomes its host; Docker Hub's hosts are docker.io. */
    static String normalizeKey(String key) {
        String k = key;
        if (k.startsWith("http://") || k.startsWith("https://")) {
            k = k.substring(k.indexOf("://") + 3);
            int slash = k.indexOf('/');
            if (slash >= 0) k = k.substring(0, slash);
        }
        int slash = k.indexOf('/');
        return slash < 0 ? normalize(k) : normalize(k.substring(0, slash)) + k.substring(slash);
    }

    private static String normalize(String registry) {
        return switch (registry) {
            case "index.docker.io", "registry-1.docker.io", "https://index.docker.io/v1/" -> ImageReference.DOCKER_HUB;
            default -> registry;
        };
    }

    private static Optional<AuthFile> read(Path file) {
        try {
            return Optional.of(Json.parse(Files.readAllBytes(file), AuthFile.class, "registry credentials " + file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new dev.jbox.JboxException("reading registry credentials " + file + ": " + e.getMessage());
        }
    }
}
