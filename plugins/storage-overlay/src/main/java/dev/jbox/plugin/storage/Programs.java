package dev.jbox.plugin.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Finds helper programs (fuse-overlayfs, credential helpers) as a shell would, plus the system directories a minimal PATH may lack. */
public final class Programs {
    private Programs() {}

    private static final List<String> SYSTEM_DIRS = List.of("/usr/local/bin", "/usr/bin", "/bin", "/usr/local/sbin", "/usr/sbin", "/sbin");

    /** {@code nameOrPath} if it has a slash, else the first match in {@code path} (a PATH value, may be null) then the system dirs. */
    public static Optional<Path> find(String nameOrPath, String path) {
        if (nameOrPath.contains("/")) return executable(Path.of(nameOrPath).toAbsolutePath());
        List<String> dirs = new ArrayList<>();
        if (path != null) for (String d : path.split(":")) if (d.startsWith("/")) dirs.add(d);
        dirs.addAll(SYSTEM_DIRS);
        return dirs.stream().map(d -> executable(Path.of(d, nameOrPath))).flatMap(Optional::stream).findFirst();
    }

    private static Optional<Path> executable(Path p) {
        return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
}
