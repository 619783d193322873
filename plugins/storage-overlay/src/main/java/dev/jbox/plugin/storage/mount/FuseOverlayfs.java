package dev.jbox.plugin.storage.mount;

import dev.jbox.spi.PreparedRoot.RootMount;

import java.nio.file.Path;
import java.util.List;

/**
 * The fuse-overlayfs command that mounts a sandbox's layers on {@code mountPoint}: in the foreground
 * ({@code -f}: it stays jbox's child, so jbox can stop it), layers by absolute path, topmost first,
 * as for the kernel. No {@code squash_to_root}: files already belong to the user, who is root
 * inside, and another {@code --user} must see its own files as its own. Run as root of the
 * sandbox's user namespace, fuse-overlayfs adds {@code allow_other,default_permissions} itself, so
 * every uid of the sandbox may use the mount and the kernel checks file permissions.
 *
 * @param log its stdout and stderr, quoted by error messages
 */
public record FuseOverlayfs(Path program, RootMount.Overlay layers, Path mountPoint, Path log) {
    public List<String> argv() {
        List<String> lowers = layers.lowerDirs().stream().map(l -> layers.baseDir().resolve(l).toString()).toList();
        String options = "lowerdir=" + String.join(":", lowers) + ",upperdir=" + layers.upperDir() + ",workdir=" + layers.workDir();
        return List.of(program.toString(), "-f", "-o", options, mountPoint.toString());
    }

    public RootMount.FuseOverlay rootMount() {
        return new RootMount.FuseOverlay(layers, mountPoint, argv());
    }
}
