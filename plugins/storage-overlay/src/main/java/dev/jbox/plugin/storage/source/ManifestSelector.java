package dev.jbox.plugin.storage.source;

import dev.jbox.JboxException;
import dev.jbox.plugin.storage.oci.Descriptor;
import dev.jbox.plugin.storage.oci.Index;
import dev.jbox.plugin.storage.oci.MediaTypes;
import dev.jbox.plugin.storage.oci.Platform;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** Chooses the manifest for a platform from an OCI index or a Docker manifest list. */
public final class ManifestSelector {
    private ManifestSelector() {}

    /**
     * The entry for {@code want}'s os and architecture; among several (variants), the exact
     * variant first, then one without a variant, then arm64's implied {@code v8}.
     */
    public static Descriptor select(Index index, Platform want, String what) {
        List<Descriptor> matches = index.manifests().stream()
                .filter(d -> d.platform() != null && (d.mediaType() == null || MediaTypes.isManifest(d.mediaType())))
                .filter(d -> want.os().equals(d.platform().os()) && want.architecture().equals(d.platform().architecture()))
                .sorted(Comparator.comparingInt(d -> variantRank(d.platform().variant(), want)))
                .toList();
        if (matches.isEmpty()) {
            String available = index.manifests().stream().map(Descriptor::platform).filter(Objects::nonNull)
                    .filter(p -> !"unknown".equals(p.os())).map(Platform::toString).distinct().collect(Collectors.joining(", "));
            throw new JboxException(what + " has no image for " + want,
                    available.isEmpty() ? "the index lists no platforms" : "it has: " + available);
        }
        return matches.getFirst();
    }

    private static int variantRank(String variant, Platform want) {
        if (Objects.equals(variant, want.variant())) return 0;
        if (variant == null) return 1;
        if ("arm64".equals(want.architecture()) && "v8".equals(variant)) return 2;
        return 3;
    }
}
