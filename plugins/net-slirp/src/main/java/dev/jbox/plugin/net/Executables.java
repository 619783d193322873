package dev.jbox.plugin.net;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Finds helper programs on a search path (the user's {@code PATH}, then the sbin directories). */
record Executables(List<Path> searchPath) {
    /** slirp4netns and pasta live in /usr/bin, but a minimal PATH should not hide them. */
    private static final List<Path> FALLBACK = List.of(Path.of("/usr/local/bin"), Path.of("/usr/bin"), Path.of("/bin"),
            Path.of("/usr/local/sbin"), Path.of("/usr/sbin"), Path.of("/sbin"));

    Executables {
        searchPath = List.copyOf(searchPath);
    }

    static Executables fromEnvironment() {
        List<Path> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(":")) if (!d.isEmpty() && d.startsWith("/")) dirs.add(Path.of(d));
        }
        for (Path d : FALLBACK) if (!dirs.contains(d)) dirs.add(d);
        return new Executables(dirs);
    }

    Optional<Path> find(String name) {
        for (Path dir : searchPath) {
            Path candidate = dir.resolve(name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }
}
