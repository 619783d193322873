package dev.jbox.state;

import dev.jbox.JboxException;
import dev.jbox.RuntimeDirs;
import dev.jbox.linux.Linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The detached sandboxes' records: {@code <root>/<id>/state.json} (plus the sandbox's {@code log}
 * and any plugin files) under {@code $XDG_RUNTIME_DIR/jbox} or {@code /tmp/jbox-<uid>}.
 *
 * <p>Every read-modify-write holds an exclusive {@link FileLock} on {@code <root>/lock}, so
 * concurrent jbox processes (a monitor recording an exit while the user runs {@code rm}) see each
 * other's changes whole; reads hold it shared. Files are replaced by an atomic rename. A JVM-wide
 * lock comes first, since one JVM cannot hold two overlapping file locks.
 */
public final class StateStore {
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_DIR = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FILE = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final Pattern ID = Pattern.compile("[0-9a-f]{12}");
    private static final ReentrantLock JVM_LOCK = new ReentrantLock();
    private static final System.Logger LOG = System.getLogger("jbox");

    private final Path root;

    private StateStore(Path root) {
        this.root = root;
    }

    /** The invoking user's store ({@link RuntimeDirs}), created 0700 if missing. */
    public static StateStore open() {
        int uid = Linux.getuid();
        return open(RuntimeDirs.forSandbox(uid), uid);
    }

    /** The store at {@code root}, created 0700 if missing, refused if someone else could change it. */
    public static StateStore open(Path root, int uid) {
        try {
            Files.createDirectory(root, PRIVATE_DIR);
        } catch (FileAlreadyExistsException e) {
            // Checked below like any existing directory.
        } catch (NoSuchFileException e) {
            throw new JboxException("creating the state directory " + root + ": its parent does not exist",
                    "set XDG_RUNTIME_DIR to an existing directory of yours");
        } catch (IOException e) {
            throw new JboxException("creating the state directory " + root + ": " + e.getMessage(),
                    "set XDG_RUNTIME_DIR to a directory of yours");
        }
        checkPrivate(root, uid);
        return new StateStore(root);
    }

    /** Another user who can write here could plant records that make jbox signal their choice of pid. */
    private static void checkPrivate(Path root, int uid) {
        String hint = "remove it, or set XDG_RUNTIME_DIR to a private directory of yours";
        try {
            PosixFileAttributes a = Files.readAttributes(root, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            int owner = (Integer) Files.getAttribute(root, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if (a.isSymbolicLink()) throw new JboxException("state directory " + root + " is a symbolic link", hint);
            if (!a.isDirectory()) throw new JboxException("state directory " + root + " is not a directory", hint);
            if (owner != uid) throw new JboxException("state directory " + root + " belongs to uid " + owner + ", not to you (uid " + uid + ")", hint);
            if (a.permissions().contains(PosixFilePermission.GROUP_WRITE) || a.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new JboxException("state directory " + root + " is writable by others (" + PosixFilePermissions.toString(a.permissions()) + ")",
                        "chmod 700 " + root);
            }
        } catch (IOException e) {
            throw new JboxException("checking the state directory " + root + ": " + e.getMessage(), hint);
        }
    }

    public Path root() {
        return root;
    }

    public Path dir(String id) {
        if (!ID.matcher(id).matches()) throw new IllegalArgumentException("sandbox id " + id + ": expected 12 hex digits");
        return root.resolve(id);
    }

    /** Where the sandbox's stdout and stderr go. */
    public Path log(String id) {
        return dir(id).resolve("log");
    }

    private Path stateFile(String id) {
        return dir(id).resolve("state.json");
    }

    /** Every readable record, oldest first. */
    public List<SandboxState> list() {
        return locked(true, this::readAll);
    }

    public Optional<SandboxState> get(String id) {
        return locked(true, () -> read(id));
    }

    /**
     * Records a new sandbox: its directory (0700), an empty log, and {@code state}. Refuses a name
     * that any recorded sandbox, running or exited, already has.
     */
    public void create(SandboxState state) {
        locked(false, () -> {
            if (state.name() != null) {
                for (SandboxState other : readAll()) {
                    if (state.name().equals(other.name())) {
                        throw new JboxException("the name " + state.name() + " is already in use by sandbox " + other.id(),
                                "remove that one with jbox rm " + state.name() + ", or choose another --name");
                    }
                }
            }
            try {
                Files.createDirectory(dir(state.id()), PRIVATE_DIR);
                Files.createFile(log(state.id()), PRIVATE_FILE);
            } catch (IOException e) {
                throw new JboxException("creating " + dir(state.id()) + ": " + e.getMessage());
            }
            write(state);
            return null;
        });
    }

    /** Applies {@code change} to the record; empty, and nothing written, if it was removed meanwhile. */
    public Optional<SandboxState> update(String id, UnaryOperator<SandboxState> change) {
        return locked(false, () -> read(id).map(change).map(s -> {
            write(s);
            return s;
        }));
    }

    /** Removes the sandbox's directory with its log and plugin files; false if it was gone already. */
    public boolean remove(String id) {
        return locked(false, () -> {
            Path dir = dir(id);
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return false;
            try (Stream<Path> all = Files.walk(dir)) {  // walk does not follow symbolic links
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            } catch (IOException | UncheckedIOException e) {
                throw new JboxException("removing " + dir + ": " + e.getMessage());
            }
            return true;
        });
    }

    private List<SandboxState> readAll() {
        List<SandboxState> states = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, p -> ID.matcher(p.getFileName().toString()).matches())) {
            for (Path d : dirs) read(d.getFileName().toString()).ifPresent(states::add);
        } catch (IOException e) {
            throw new JboxException("listing " + root + ": " + e.getMessage());
        }
        states.sort(Comparator.comparing(SandboxState::created).thenComparing(SandboxState::id));
        return states;
    }

    /** The record, or empty if there is none; a damaged one is logged and skipped (jbox rm removes it). */
    private Optional<SandboxState> read(String id) {
        Path file = stateFile(id);
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();  // not a sandbox's directory, or one being created or removed
        } catch (IOException e) {
            throw new JboxException("reading " + file + ": " + e.getMessage());
        }
        try {
            if (!(Json.parse(text) instanceof java.util.Map<?, ?> map)) throw new IllegalArgumentException("not a JSON object");
            return Optional.of(SandboxState.fromJson(map));
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "ignoring damaged state " + file + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Write to a temporary file, then rename over the old one: readers see the old or the new record, whole. */
    private void write(SandboxState state) {
        Path file = stateFile(state.id());
        Path tmp = file.resolveSibling("state.json.tmp");
        try {
            Files.writeString(tmp, Json.write(state.toJson()) + "\n");
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new JboxException("writing " + file + ": " + e.getMessage());
        }
    }

    private <T> T locked(boolean shared, Supplier<T> action) {
        JVM_LOCK.lock();
        try (FileChannel channel = FileChannel.open(root.resolve("lock"), Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE), PRIVATE_FILE);
             FileLock lock = channel.lock(0, Long.MAX_VALUE, shared)) {
            return action.get();
        } catch (IOException e) {
            throw new JboxException("locking " + root.resolve("lock") + ": " + e.getMessage());
        } finally {
            JVM_LOCK.unlock();
        }
    }
}
