package dev.jbox.plugin.storage.store;

import dev.jbox.JboxException;
import dev.jbox.plugin.storage.oci.Digest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where everything lives in the store (all under one root, one filesystem, so renames are atomic):
 * <pre>
 * store.lock                  shared by pulls, imports and sandbox setup; exclusive for rmi and cleanup
 * images.json (+ images.lock) name:tag → manifest digest → config digest, layers
 * blobs/sha256/HEX            manifests and configs, verified on write and read
 * layers/HEX/diff             one extracted layer, keyed by its diffID (sha256 of the uncompressed tar)
 * layers/HEX/layer.json       written before the layer directory is renamed into place
 * layers/l/SHORT -> ../HEX/diff   short names that keep overlay's mount data under a page
 * sandboxes/ID/{upper,work}   a sandbox's writable layer; sandbox.json; the directory is flock'ed while it runs
 * locks/                      one lock file per layer
 * tmp/                        work in progress; never trusted, emptied when the store is idle
 * </pre>
 */
public record StoreLayout(Path root) {
    /** System property that moves the store (tests, CI). */
    public static final String ROOT_PROPERTY = "jbox.storage.root";

    public StoreLayout {
        root = root.toAbsolutePath().normalize();
    }

    /** {@code -Djbox.storage.root}, else {@code $XDG_DATA_HOME/jbox}, else {@code ~/.local/share/jbox}. */
    public static StoreLayout fromEnvironment() {
        String override = System.getProperty(ROOT_PROPERTY);
        if (override != null && !override.isBlank()) return new StoreLayout(Path.of(override));
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && xdg.startsWith("/") ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        return new StoreLayout(base.resolve("jbox"));
    }

    public Path storeLock() { return root.resolve("store.lock"); }
    public Path catalog() { return root.resolve("images.json"); }
    public Path catalogLock() { return root.resolve("images.lock"); }
    public Path blobs() { return root.resolve("blobs").resolve("sha256"); }
    public Path blob(Digest d) { return blobs().resolve(d.hex()); }
    /** The directory overlay's lowerdir names are relative to (the launcher chdirs here before mounting). */
    public Path layers() { return root.resolve("layers"); }
    public Path layer(Digest diffId) { return layers().resolve(diffId.hex()); }
    public Path links() { return layers().resolve("l"); }
    public Path layerLock(Digest diffId) { return root.resolve("locks").resolve("layer-" + diffId.hex() + ".lock"); }
    public Path sandboxes() { return root.resolve("sandboxes"); }
    public Path sandbox(String id) { return sandboxes().resolve(id); }
    public Path tmp() { return root.resolve("tmp"); }

    /** Creates the directories (0700: the store holds every image's files, readable by the user only). */
    public StoreLayout ensureCreated() {
        try {
            for (Path dir : new Path[] {root, blobs(), layers(), links(), root.resolve("locks"), sandboxes(), tmp()}) {
                if (!Files.isDirectory(dir)) {
                    Files.createDirectories(dir);
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                }
            }
            return this;
        } catch (IOException e) {
            throw new JboxException("creating the image store in " + root + ": " + e,
                    "set XDG_DATA_HOME or -D" + ROOT_PROPERTY + " to a writable directory");
        }
    }

    /** A new private directory under tmp/ for work in progress. */
    public Path newTempDir(String purpose) {
        try {
            return Files.createTempDirectory(tmp(), purpose + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("creating a temporary directory in " + tmp(), e);
        }
    }
}
