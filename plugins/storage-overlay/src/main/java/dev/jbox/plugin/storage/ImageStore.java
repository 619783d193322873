package dev.jbox.plugin.storage;

import dev.jbox.JboxException;
import dev.jbox.plugin.storage.auth.RegistryAuth;
import dev.jbox.plugin.storage.oci.Digest;
import dev.jbox.plugin.storage.oci.ImageConfig;
import dev.jbox.plugin.storage.oci.ImageReference;
import dev.jbox.plugin.storage.oci.Json;
import dev.jbox.plugin.storage.oci.Platform;
import dev.jbox.plugin.storage.source.Archives;
import dev.jbox.plugin.storage.source.ImageSource;
import dev.jbox.plugin.storage.source.RegistrySource;
import dev.jbox.plugin.storage.store.BlobStore;
import dev.jbox.plugin.storage.store.FileLocks;
import dev.jbox.plugin.storage.store.ImageCatalog;
import dev.jbox.plugin.storage.store.ImageRecord;
import dev.jbox.plugin.storage.store.LayerStore;
import dev.jbox.plugin.storage.store.SandboxStore;
import dev.jbox.plugin.storage.store.StoreLayout;
import dev.jbox.plugin.storage.store.Trees;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The local image store: what the commands and the storage provider use. Pulls, imports and
 * sandbox setup hold the store lock shared; {@code rmi} and cleanup hold it exclusively, so a layer
 * is never deleted while something is about to use it.
 */
public final class ImageStore {
    private static final Pattern ID_PREFIX = Pattern.compile("(sha256:)?[0-9a-f]{3,64}");

    private final StoreLayout layout;
    private final BlobStore blobs;
    private final LayerStore layers;
    private final ImageCatalog catalog;
    private final SandboxStore sandboxes;
    private final Platform platform;

    public ImageStore(StoreLayout layout) {
        this(layout, Platform.current());
    }

    public ImageStore(StoreLayout layout, Platform platform) {
        this.layout = layout.ensureCreated();
        this.blobs = new BlobStore(layout);
        this.layers = new LayerStore(layout);
        this.catalog = new ImageCatalog(layout);
        this.sandboxes = new SandboxStore(layout);
        this.platform = platform;
    }

    /** The store at {@code -Djbox.storage.root}, {@code $XDG_DATA_HOME/jbox} or {@code ~/.local/share/jbox}. */
    public static ImageStore openDefault() {
        return new ImageStore(StoreLayout.fromEnvironment());
    }

    public StoreLayout layout() { return layout; }
    public LayerStore layers() { return layers; }
    public SandboxStore sandboxes() { return sandboxes; }

    /** {@code jbox pull REF}, with the credentials of the user's auth files if the registry asks for some. */
    public ImageRecord pull(String reference, PullProgress progress) {
        return pull(reference, RegistryAuth.fromEnvironment(), progress);
    }

    /** {@code jbox pull [--creds USER:PASS] REF}. */
    public ImageRecord pull(String reference, RegistryAuth auth, PullProgress progress) {
        ImageReference ref = ImageReference.parse(reference);
        cleanIfIdle();
        return install(new RegistrySource(ref, platform, auth), ref.name(), ref.tag() != null ? ref.tag() : ref.digest().shortId(), progress);
    }

    /** {@code jbox import FILE NAME[:TAG]}; a NAME without registry is stored as {@code localhost/NAME}. */
    public ImageRecord importArchive(Path file, String nameAndTag, PullProgress progress) {
        ImageReference ref = ImageReference.parse(nameAndTag, ImageReference.LOCAL);
        if (ref.digest() != null) throw new JboxException("import " + nameAndTag + ": name the image NAME[:TAG], without a digest");
        cleanIfIdle();
        Path scratch = layout.newTempDir("import");
        try {
            return install(Archives.open(file.toAbsolutePath(), ref.tag(), platform, scratch), ref.name(), ref.tag(), progress);
        } catch (IOException e) {
            throw new JboxException("importing " + file + ": " + e, "is it an OCI layout (dir or tar) or a docker save archive?");
        } finally {
            Trees.delete(scratch);
        }
    }

    /** Installs and closes {@code source}. */
    private ImageRecord install(ImageSource source, String name, String tag, PullProgress progress) {
        try (FileLocks.Held _ = FileLocks.shared(layout.storeLock()); source) {
            return new ImageInstaller(blobs, layers, catalog).install(source, name, tag, progress);
        } catch (IOException e) {
            throw new JboxException("copying " + source.describe() + ": " + e, null, JboxException.EXIT_JBOX, e);
        }
    }

    public List<ImageRecord> images() {
        return catalog.list();
    }

    /**
     * The image a user means by {@code text}: a full or short name with tag ({@code app},
     * {@code app:1}, {@code localhost/app}, {@code docker.io/library/app:1}), or an image-ID prefix.
     * A short name matches an imported image ({@code localhost/}) before a Docker Hub one.
     */
    public Optional<ImageRecord> find(String text) {
        List<ImageRecord> all = catalog.list();
        for (String candidate : candidates(text)) {
            Optional<ImageRecord> hit = all.stream().filter(r -> r.reference().equals(candidate)).findFirst();
            if (hit.isPresent()) return hit;
        }
        if (ID_PREFIX.matcher(text).matches()) {
            String hex = text.startsWith("sha256:") ? text.substring(7) : text;
            List<Digest> ids = all.stream().map(ImageRecord::config).filter(c -> c.hex().startsWith(hex)).distinct().toList();
            if (ids.size() > 1) throw new JboxException("image ID " + text + " is ambiguous", "give more digits");
            if (ids.size() == 1) return all.stream().filter(r -> r.config().equals(ids.getFirst())).findFirst();
        }
        return Optional.empty();
    }

    private static List<String> candidates(String text) {
        try {
            ImageReference local = ImageReference.parse(text, ImageReference.LOCAL);
            ImageReference hub = ImageReference.parse(text, ImageReference.DOCKER_HUB);
            if (local.digest() != null) return List.of();
            return List.of(local.name() + ":" + local.tag(), hub.name() + ":" + hub.tag());
        } catch (JboxException notAName) {
            return List.of();
        }
    }

    public ImageRecord require(String text) {
        return find(text).orElseThrow(() -> new JboxException("image " + text + " is not in the local store", "pull it: jbox pull " + text));
    }

    public ImageConfig config(ImageRecord image) {
        byte[] bytes = blobs.read(image.config()).orElseThrow(() -> new JboxException(
                "image " + image.reference() + " is damaged: its config blob is missing or altered",
                "remove it (jbox rmi " + image.reference() + ") and pull it again"));
        return Json.parse(bytes, ImageConfig.class, "config of " + image.reference());
    }

    /** {@code jbox rmi}: returns what was done, one line each ({@code Untagged: …}, {@code Deleted: …}). */
    public List<String> remove(String text) {
        try (FileLocks.Held _ = FileLocks.exclusive(layout.storeLock())) {
            cleanTemporaries();
            return new ImageRemover(blobs, layers, catalog, sandboxes).remove(require(text), !isTagLike(text));
        }
    }

    /** An ID removes every tag of the image; a name removes one tag. */
    private boolean isTagLike(String text) {
        return catalog.list().stream().anyMatch(r -> candidates(text).contains(r.reference()));
    }

    /** When no other jbox process uses the store, deletes tmp/ debris and dead unnamed sandboxes' layers. */
    public void cleanIfIdle() {
        FileLocks.Held exclusive = FileLocks.tryExclusive(layout.storeLock());
        if (exclusive == null) return;
        try (exclusive) {
            cleanTemporaries();
        }
    }

    private void cleanTemporaries() {
        sandboxes.removeStale();
        try (DirectoryStream<Path> debris = Files.newDirectoryStream(layout.tmp())) {
            for (Path p : debris) Trees.delete(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cleaning " + layout.tmp(), e);
        }
    }
}
