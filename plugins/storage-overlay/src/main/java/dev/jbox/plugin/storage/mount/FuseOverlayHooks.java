package dev.jbox.plugin.storage.mount;

import dev.jbox.JboxException;
import dev.jbox.launch.NamespaceHelper;
import dev.jbox.spi.ChildProcess;
import dev.jbox.spi.ExitStatus;
import dev.jbox.spi.LaunchHooks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Runs fuse-overlayfs for one sandbox. At {@link #childCreated} the sandbox's user namespace and
 * the mount namespace it was cloned with exist, its id maps are written and its first process
 * waits: fuse-overlayfs joins those namespaces and mounts the layers on the mount point, and the
 * launch goes on once the mount is there (the child then unshares its own mount namespace below,
 * inheriting the mount, and binds it as the root). After the sandbox, fuse-overlayfs is stopped and
 * only then is the writable layer released: it is never deleted under a running helper.
 */
public final class FuseOverlayHooks implements LaunchHooks {
    static final Duration MOUNT_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STOP_GRACE = Duration.ofSeconds(2);

    private final FuseOverlayfs command;
    private final LaunchHooks writableLayer;
    private volatile NamespaceHelper helper;
    private volatile String note;

    /** @param writableLayer the writable layer's hooks, closed after the helper has ended */
    public FuseOverlayHooks(FuseOverlayfs command, LaunchHooks writableLayer) {
        this.command = command;
        this.writableLayer = writableLayer;
    }

    @Override
    public void childCreated(ChildProcess child) throws Exception {
        writableLayer.childCreated(child);
        String program = command.program().getFileName().toString();
        try {
            helper = NamespaceHelper.start(child, NamespaceHelper.USER_AND_MOUNT, command.program(), command.argv(), command.log());
        } catch (JboxException e) {
            throw new JboxException("mounting the image with " + program + ": " + e.getMessage(), e.hint(), JboxException.EXIT_JBOX, e);
        }
        NamespaceHelper h = helper;
        if (MountWatch.await(child.pid(), command.mountPoint(), h::isAlive, MOUNT_TIMEOUT)) return;
        String failure = h.isAlive() ? "it did not mount " + command.mountPoint() + " within " + MOUNT_TIMEOUT.toSeconds() + " s"
                : "it " + ended(h) + " before mounting " + command.mountPoint();
        List<String> log = logTail();
        throw new JboxException("mounting the image with " + program + ": " + failure + (log.isEmpty() ? "" : ": " + String.join("; ", log)),
                hint(log));
    }

    /** A hint from what fuse-overlayfs said ("fuse: failed to open /dev/fuse: Permission denied"). */
    static String hint(List<String> log) {
        String said = String.join("\n", log);
        if (said.contains("/dev/fuse")) return "fuse-overlayfs needs /dev/fuse readable and writable by you (sudo chmod 0666 /dev/fuse)";
        if (said.contains("fuse: device not found")) return "load the fuse module: sudo modprobe fuse";
        return "run the image with the kernel's overlayfs if it can (drop --storage-opt " + StorageOptions.MOUNT_PROGRAM + "), or check the fuse-overlayfs installation";
    }

    private static String ended(NamespaceHelper h) {
        return h.exitStatus().map(s -> s.wasKilled() ? "was killed by signal " + s.signal() : "exited with status " + s.code()).orElse("ended");
    }

    @Override
    public void beforeRelease(ChildProcess child) throws Exception {
        writableLayer.beforeRelease(child);
    }

    @Override
    public void exited(ExitStatus status) {
        NamespaceHelper h = helper;
        if (h != null && !h.isAlive()) {
            List<String> log = logTail();
            note = "the image's " + h.name() + " " + ended(h) + " while the sandbox ran (its root filesystem was gone from then on)"
                    + (log.isEmpty() ? "" : ": " + String.join("; ", log));
        }
        writableLayer.exited(status);
    }

    @Override
    public Optional<String> exitNote() {
        return Optional.ofNullable(note).or(writableLayer::exitNote);
    }

    @Override
    public void close() {
        NamespaceHelper h = helper;
        if (h != null) h.stop(STOP_GRACE);
        try {
            Files.deleteIfExists(command.mountPoint());
            Files.deleteIfExists(command.log());
        } catch (IOException e) {
            // The writable layer's removal takes them, or they stay with a kept sandbox: both fine.
        }
        writableLayer.close();
    }

    /** The last lines fuse-overlayfs wrote, without its notice about options it ignores. */
    private List<String> logTail() {
        try {
            List<String> lines = Files.readAllLines(command.log()).stream().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("unknown argument ignored")).toList();
            return lines.subList(Math.max(0, lines.size() - 3), lines.size());
        } catch (IOException e) {
            return List.of();
        }
    }
}
