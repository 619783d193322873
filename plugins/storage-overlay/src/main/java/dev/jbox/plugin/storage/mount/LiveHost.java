package dev.jbox.plugin.storage.mount;

import dev.jbox.JboxException;
import dev.jbox.plugin.storage.Programs;
import dev.jbox.plugin.storage.store.StoreLayout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** {@link MounterChoice.Host} for this machine: /proc, PATH, /dev/fuse, and the store's cached probe. */
public final class LiveHost implements MounterChoice.Host {
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
        return Programs.find(nameOrPath, System.getenv("PATH"));
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
