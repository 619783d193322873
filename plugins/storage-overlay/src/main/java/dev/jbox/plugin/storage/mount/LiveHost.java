package dev.jbox.plugin.storage.mount;

import dev.jbox.JboxException;
import dev.jbox.plugin.storage.store.StoreLayout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link MounterChoice.Host} for this machine: /proc, PATH, /dev/fuse, and the store's cached probe. */
public final class LiveHost implements MounterChoice.Host {
    /** Where mount helpers live even when PATH is minimal. */
    private static final List<String> SYSTEM_DIRS = List.of("/usr/local/bin", "/usr/bin", "/bin", "/usr/local/sbin", "/usr/sbin", "/sbin");
    static final Path FUSE_DEVICE = Path.of("/dev/fuse");

    private final StoreLayout layout;

    public LiveHost(StoreLayout layout) {
        this.layout = layout;
    }

    @Override
    public KernelRelease kernel() {
        return KernelRelease.parse(read(Path.of("/proc/sys/kernel/osrelease")));
    }

    @Override
    public MounterChoice.KernelOverlay kernelOverlay() {
        return OverlayProbe.cached(layout);
    }

    @Override
    public Optional<Path> program(String nameOrPath) {
        if (nameOrPath.contains("/")) return executable(Path.of(nameOrPath).toAbsolutePath());
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) for (String d : path.split(":")) if (d.startsWith("/")) dirs.add(d);
        dirs.addAll(SYSTEM_DIRS);
        return dirs.stream().map(d -> executable(Path.of(d, nameOrPath))).flatMap(Optional::stream).findFirst();
    }

    private static Optional<Path> executable(Path p) {
        return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }

    @Override
    public Optional<JboxException> fuseDeviceProblem() {
        return fuseDeviceProblem(FUSE_DEVICE);
    }

    static Optional<JboxException> fuseDeviceProblem(Path device) {
        if (!Files.exists(device)) {
            return Optional.of(new JboxException(device + ": ENOENT (No such file or directory)", "load the fuse module: sudo modprobe fuse"));
        }
        if (!Files.isReadable(device) || !Files.isWritable(device)) {
            return Optional.of(new JboxException(device + ": EACCES (Permission denied)",
                    "let every user open it, as udev does on most systems: sudo chmod 0666 " + device));
        }
        return Optional.empty();
    }

    static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new JboxException("reading " + file + ": " + e.getMessage());
        }
    }
}
