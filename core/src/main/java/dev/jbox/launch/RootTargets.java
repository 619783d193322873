package dev.jbox.launch;

import dev.jbox.JboxException;
import dev.jbox.plan.MountTargets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Resolves mount targets inside a root made of layers (one directory, or an overlay's upper dir
 * over its lower dirs) the way {@code openat2(RESOLVE_IN_ROOT)} would: {@code ..} stops at the
 * root, absolute symlinks restart at the root, nothing is followed out of it. Missing targets are
 * created in the top layer. The result is a symlink-free path the chain can mount on.
 */
public final class RootTargets implements MountTargets {
    private static final int MAX_SYMLINKS = 40;
    private static final int S_IFMT = 0170000, S_IFCHR = 0020000;

    private final List<Path> layers;

    /** @param layers the root's layers, top (writable) first */
    public RootTargets(List<Path> layers) {
        this.layers = List.copyOf(layers);
    }

    @Override
    public String prepare(String target, boolean directory) {
        return walk(target, directory, true);
    }

    @Override
    public String resolve(String target) {
        return walk(target, true, false);
    }

    @Override
    public boolean exists(String path) {
        return lookup(components(path)) != null;
    }

    private String walk(String target, boolean directory, boolean create) {
        Deque<String> todo = new ArrayDeque<>(components(target));
        List<String> resolved = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.pollFirst();
            if (c.equals("..")) {
                if (!resolved.isEmpty()) resolved.removeLast();
                continue;
            }
            resolved.add(c);
            Path entry = lookup(resolved);
            if (entry == null) {
                if (create) create(resolved, todo.isEmpty() && !directory, target);
                continue;
            }
            if (Files.isSymbolicLink(entry)) {
                if (++links > MAX_SYMLINKS) throw new JboxException("resolving mount target " + target + ": ELOOP (too many symlinks)");
                String link = readLink(entry, target);
                resolved.removeLast();
                if (link.startsWith("/")) resolved.clear();
                List<String> linkParts = components(link);
                for (int i = linkParts.size() - 1; i >= 0; i--) todo.addFirst(linkParts.get(i));
            } else if (!todo.isEmpty() && !Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                throw new JboxException("mount target " + target + ": /" + String.join("/", resolved) + " is not a directory in the root filesystem");
            }
        }
        return "/" + String.join("/", resolved);
    }

    private static List<String> components(String path) {
        List<String> out = new ArrayList<>();
        for (String c : path.split("/")) if (!c.isEmpty() && !c.equals(".")) out.add(c);
        return out;
    }

    /** The top-most layer's entry for a path, or null when absent or whited out. */
    private Path lookup(List<String> parts) {
        String relative = String.join("/", parts);
        for (Path layer : layers) {
            Path p = layer.resolve(relative);
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) continue;
            return isWhiteout(p) ? null : p;
        }
        return null;
    }

    private static boolean isWhiteout(Path p) {
        try {
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
            return ((int) a.get("mode") & S_IFMT) == S_IFCHR && (long) a.get("rdev") == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private void create(List<String> parts, boolean file, String target) {
        Path top = layers.getFirst();
        Path p = top.resolve(String.join("/", parts));
        try {
            // Parents were resolved symlink-free above; in an overlay they may exist only in a lower layer.
            Files.createDirectories(p.getParent());
            if (file) Files.createFile(p);
            else Files.createDirectory(p);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // Raced with another launch creating the same mount point: fine.
        } catch (IOException e) {
            throw new JboxException("creating mount point " + target + " in the root filesystem: " + describe(e),
                    "create it in the root filesystem beforehand, or make the root filesystem writable for you");
        }
    }

    private static String readLink(Path p, String target) {
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (IOException e) {
            throw new JboxException("resolving mount target " + target + ": reading symlink " + p + ": " + describe(e));
        }
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException) return "ENOENT (No such file or directory)";
        if (e instanceof java.nio.file.AccessDeniedException) return "EACCES (Permission denied)";
        return e.getMessage();
    }

    /** Targets in the host's read-only root: they must exist; symlinks are resolved on the host. */
    public static MountTargets hostRoot() {
        return new MountTargets() {
            @Override
            public String prepare(String target, boolean directory) {
                try {
                    return Path.of(target).toRealPath().toString();
                } catch (IOException e) {
                    throw new JboxException("mount target " + target + " does not exist in the host's read-only root",
                            "choose an existing path, or use --rootfs DIR for a root you can change");
                }
            }

            @Override
            public String resolve(String target) {
                return new RootTargets(List.of(Path.of("/"))).resolve(target);
            }

            @Override
            public boolean exists(String path) {
                return Files.exists(Path.of(path), LinkOption.NOFOLLOW_LINKS);
            }
        };
    }

    /** Targets for a root a storage plugin prepared: its upper dir over its lower dirs. */
    public static MountTargets forRoot(dev.jbox.spi.PreparedRoot.RootMount root) {
        return switch (root) {
            case dev.jbox.spi.PreparedRoot.RootMount.HostRoot h -> hostRoot();
            case dev.jbox.spi.PreparedRoot.RootMount.Bind b -> new RootTargets(List.of(b.directory()));
            case dev.jbox.spi.PreparedRoot.RootMount.Overlay o -> {
                List<Path> layers = new ArrayList<>();
                layers.add(o.upperDir());
                for (String lower : o.lowerDirs()) layers.add(o.baseDir().resolve(lower));
                yield new RootTargets(layers);
            }
            case dev.jbox.spi.PreparedRoot.RootMount.FuseOverlay f -> forRoot(f.layers());
        };
    }
}
