package dev.jbox.plugin.storage.store;

import dev.jbox.JboxException;
import dev.jbox.plugin.storage.oci.Digest;
import dev.jbox.plugin.storage.oci.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Writable layers, one directory per sandbox: {@code upper/} and {@code work/} for overlayfs,
 * and {@code sandbox.json}. The directory itself is locked ({@code flock}) by the jbox process
 * while the sandbox runs — so any process can tell a running sandbox from a leftover one.
 */
public final class SandboxStore {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    /** A sandbox's writable layer, held as running until closed. */
    public record WritableLayer(SandboxRecord record, Path dir, FileLocks.Held running) implements AutoCloseable {
        public Path upper() { return dir.resolve("upper"); }
        public Path work() { return dir.resolve("work"); }

        /** Marks the sandbox as no longer running; the directory stays. */
        @Override
        public void close() {
            running.close();
        }
    }

    private final StoreLayout layout;

    public SandboxStore(StoreLayout layout) {
        this.layout = layout;
    }

    /** Creates the writable layer of sandbox {@code id} on {@code image}, marked as running. */
    public WritableLayer create(String id, String name, ImageRecord image) {
        if (!ID.matcher(id).matches()) throw new IllegalArgumentException("sandbox id " + id + " is not a safe file name");
        // Names are checked and taken under a lock; unnamed sandboxes (the common, --rm case) skip it.
        try (FileLocks.Held _ = name == null ? null : FileLocks.exclusive(namesLock())) {
            if (name != null) {
                Optional<SandboxRecord> clash = find(name);
                if (clash.isPresent()) {
                    throw new JboxException("a sandbox named " + name + " already exists (" + clash.get().id() + ")",
                            "remove it first with jbox rm " + name + ", or choose another --name");
                }
            }
            Path dir = layout.sandbox(id);
            Files.createDirectory(dir);
            FileLocks.Held running = FileLocks.exclusive(dir);
            // The upper dir's mode becomes the mode of the sandbox's "/".
            Files.createDirectory(dir.resolve("upper"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            Files.createDirectory(dir.resolve("work"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            SandboxRecord record = new SandboxRecord(id, name, image.reference(), image.config(), Instant.now().toString());
            Files.write(dir.resolve("sandbox.json"), Json.write(record));
            return new WritableLayer(record, dir, running);
        } catch (IOException e) {
            throw new JboxException("creating the writable layer of sandbox " + id + " in " + layout.sandboxes() + ": " + e,
                    "check free space and permissions of the image store");
        }
    }

    public List<SandboxRecord> list() {
        List<SandboxRecord> all = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(layout.sandboxes(), Files::isDirectory)) {
            for (Path dir : dirs) read(dir).ifPresent(all::add);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + layout.sandboxes(), e);
        }
        return all;
    }

    /** The sandbox with this id or name. */
    public Optional<SandboxRecord> find(String idOrName) {
        return list().stream().filter(s -> s.id().equals(idOrName) || idOrName.equals(s.name())).findFirst();
    }

    /** Whether a jbox process holds the sandbox's run lock. */
    public boolean isRunning(String id) {
        FileLocks.Held probe = FileLocks.tryExclusive(layout.sandbox(id));
        if (probe == null) return true;
        probe.close();
        return false;
    }

    /** Sandboxes that keep {@code config}'s image in use: running ones, and kept (named) ones. */
    public List<SandboxRecord> users(Digest config) {
        return list().stream().filter(s -> s.config().equals(config) && (s.kept() || isRunning(s.id()))).toList();
    }

    /** {@code jbox rm}: deletes a sandbox's writable layer; refuses while it runs. Returns false if there is none. */
    public boolean remove(String idOrName) {
        try (FileLocks.Held _ = FileLocks.exclusive(namesLock())) {
            Optional<SandboxRecord> found = find(idOrName);
            if (found.isEmpty()) return false;
            String id = found.get().id();
            FileLocks.Held lock = FileLocks.tryExclusive(layout.sandbox(id));
            if (lock == null) {
                throw new JboxException("sandbox " + idOrName + " is running", "stop it first (jbox kill " + idOrName + ")");
            }
            try (lock) {
                Trees.deleteAtomically(layout.sandbox(id), layout.tmp());
            }
            return true;
        }
    }

    /**
     * Deletes the writable layer of a sandbox that has ended (the {@code --rm} path): its record
     * first, so listings no longer see it, then the tree, still holding its lock (cleanup of dead
     * sandboxes leaves it alone meanwhile).
     */
    public void discard(WritableLayer layer) {
        try (layer) {
            Files.deleteIfExists(layer.dir().resolve("sandbox.json"));
            Trees.delete(layer.dir());
        } catch (IOException e) {
            throw new UncheckedIOException("deleting the writable layer " + layer.dir(), e);
        }
    }

    /**
     * Deletes leftovers of unnamed sandboxes whose jbox process died (not running, not kept), and
     * half-created ones. Call only while holding the store lock exclusively (no sandbox is being created).
     */
    public int removeStale() {
        int removed = 0;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(layout.sandboxes(), Files::isDirectory)) {
            for (Path dir : dirs) {
                if (read(dir).map(SandboxRecord::kept).orElse(false)) continue;
                FileLocks.Held lock = FileLocks.tryExclusive(dir);
                if (lock == null) continue;
                try (lock) {
                    Trees.deleteAtomically(dir, layout.tmp());
                    removed++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + layout.sandboxes(), e);
        }
        return removed;
    }

    private Optional<SandboxRecord> read(Path dir) {
        try {
            return Optional.of(Json.parse(Files.readAllBytes(dir.resolve("sandbox.json")), SandboxRecord.class, dir + "/sandbox.json"));
        } catch (IOException e) {
            return Optional.empty(); // being created or deleted
        }
    }

    private Path namesLock() {
        return layout.sandboxes().resolve(".names.lock");
    }
}
