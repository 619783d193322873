package dev.jbox.plugin.storage.oci;

import dev.jbox.JboxException;

import java.util.regex.Pattern;

/**
 * A parsed image reference, {@code [registry/]repository[:tag][@digest]}, normalised as docker and
 * podman do: no registry means Docker Hub, whose single-component names live under {@code library/}.
 *
 * @param registry   host[:port] as written, e.g. {@code docker.io}, {@code 127.0.0.1:5000}
 * @param repository path inside the registry, e.g. {@code library/busybox}
 * @param tag        tag, {@code latest} when neither tag nor digest is given; null with a digest only
 * @param digest     pinned manifest digest, or null
 */
public record ImageReference(String registry, String repository, String tag, Digest digest) {
    public static final String DOCKER_HUB = "docker.io";
    /** The registry of images that came from an archive rather than a registry (podman's convention). */
    public static final String LOCAL = "localhost";

    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

    /** Parses a reference to pull; a name without a registry is on Docker Hub. */
    public static ImageReference parse(String text) {
        return parse(text, DOCKER_HUB);
    }

    /** Parses a reference; a name without a registry gets {@code defaultRegistry}. */
    public static ImageReference parse(String text, String defaultRegistry) {
        String rest = text;
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = Digest.parse(rest.substring(at + 1));
            rest = rest.substring(0, at);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) throw invalid(text, "tag " + tag + " is not valid");
        }
        String registry = defaultRegistry;
        int slash = rest.indexOf('/');
        if (slash > 0 && isRegistryHost(rest.substring(0, slash))) {
            registry = rest.substring(0, slash);
            rest = rest.substring(slash + 1);
        }
        if (registry.equals("index.docker.io")) registry = DOCKER_HUB;
        if (registry.equals(DOCKER_HUB) && !rest.contains("/")) rest = "library/" + rest;
        for (String component : rest.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) throw invalid(text, "name component '" + component + "' is not valid");
        }
        if (tag == null && digest == null) tag = "latest";
        return new ImageReference(registry, rest, tag, digest);
    }

    /**
     * A registry alone, for {@code jbox login REGISTRY}: {@code quay.io}, {@code 127.0.0.1:5000},
     * {@code https://index.docker.io/v1/} (a URL is cut to its host). The repository is empty.
     */
    public static ImageReference registry(String text) {
        String host = text.replaceFirst("^https?://", "");
        int slash = host.indexOf('/');
        if (slash >= 0) host = host.substring(0, slash);
        if (host.equals("index.docker.io") || host.equals("registry-1.docker.io")) host = DOCKER_HUB;
        if (host.isEmpty() || !host.matches("[A-Za-z0-9.\\[\\]:-]+")) {
            throw new JboxException("invalid registry " + text, "expected a host with an optional port, e.g. quay.io or 127.0.0.1:5000");
        }
        return new ImageReference(host, "", null, null);
    }

    private static boolean isRegistryHost(String first) {
        return first.contains(".") || first.contains(":") || first.equals("localhost");
    }

    private static JboxException invalid(String text, String why) {
        return new JboxException("invalid image reference " + text + ": " + why,
                "expected [registry/]name[:tag][@sha256:digest], lower-case name, e.g. docker.io/library/busybox:latest");
    }

    /** {@code registry/repository}, the NAME column of {@code jbox images}. */
    public String name() {
        return registry + "/" + repository;
    }

    /** The tag or digest a registry's manifest endpoint takes. */
    public String manifestReference() {
        return digest != null ? digest.toString() : tag;
    }

    /** The host the registry API is served from (Docker Hub's API is not on docker.io). */
    public String apiHost() {
        return registry.equals(DOCKER_HUB) ? "registry-1.docker.io" : registry;
    }

    /** Registries on the loopback interface are spoken to over plain HTTP; every other one over HTTPS. */
    public boolean isLoopback() {
        String host = registry.startsWith("[") ? registry.substring(0, registry.indexOf(']') + 1)
                : registry.contains(":") ? registry.substring(0, registry.lastIndexOf(':')) : registry;
        return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
    }

    @Override
    public String toString() {
        return name() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }
}
