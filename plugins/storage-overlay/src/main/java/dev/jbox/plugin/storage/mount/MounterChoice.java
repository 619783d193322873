package dev.jbox.plugin.storage.mount;

import dev.jbox.JboxException;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Chooses who mounts a sandbox's layers, as podman does with {@code mount_program}: the user's
 * {@code overlay.mount_program} if given; else the kernel's overlayfs where it works for an
 * unprivileged user (Linux 5.11 or newer, and a probe mount on this store's filesystem succeeded);
 * else fuse-overlayfs. Pure: what it knows of the host comes in through {@link Host}.
 */
public final class MounterChoice {
    private MounterChoice() {}

    public static final String FUSE_OVERLAYFS = "fuse-overlayfs";
    static final String INSTALL_HINT = "install it: apt install fuse-overlayfs (dnf install fuse-overlayfs, apk add fuse-overlayfs)";

    /** What the choice needs to know about this host. */
    public interface Host {
        KernelRelease kernel();

        /** Whether the kernel mounted an unprivileged overlay here (probed once per boot, cached). */
        KernelOverlay kernelOverlay();

        /** A program by name (searched in PATH) or by path, if it exists and is executable. */
        Optional<Path> program(String nameOrPath);

        /** Why /dev/fuse cannot be used, if it cannot. */
        Optional<JboxException> fuseDeviceProblem();
    }

    /** @param detail why not, when it does not work: "mount: EPERM (Operation not permitted)" */
    public record KernelOverlay(boolean works, String detail) {
        public static final KernelOverlay WORKS = new KernelOverlay(true, "");
    }

    public static OverlayMounter choose(StorageOptions options, Host host) {
        if (options.mountProgram().isPresent()) {
            String asked = options.mountProgram().get();
            Path program = host.program(asked).orElseThrow(() -> new JboxException(
                    notInstalled(asked) + " (storage option " + StorageOptions.MOUNT_PROGRAM + "=" + asked + ")",
                    asked.contains("/") ? "give the path of an executable fuse-overlayfs" : INSTALL_HINT));
            return usable(new OverlayMounter.Fuse(program, "asked for with " + StorageOptions.MOUNT_PROGRAM), host);
        }
        String why;
        KernelRelease kernel = host.kernel();
        if (!kernel.hasUnprivilegedOverlay()) {
            why = "Linux " + kernel.major() + "." + kernel.minor() + " cannot mount overlayfs unprivileged (5.11 or newer can)";
        } else {
            KernelOverlay overlay = host.kernelOverlay();
            if (overlay.works()) return new OverlayMounter.Kernel();
            why = "the kernel refused an unprivileged overlay mount here (" + overlay.detail() + ")";
        }
        Path program = host.program(FUSE_OVERLAYFS).orElseThrow(() -> new JboxException(
                why + ", and " + notInstalled(FUSE_OVERLAYFS) + " to mount the image instead", INSTALL_HINT));
        return usable(new OverlayMounter.Fuse(program, why), host);
    }

    private static OverlayMounter usable(OverlayMounter.Fuse fuse, Host host) {
        host.fuseDeviceProblem().ifPresent(problem -> {
            throw new JboxException(problem.getMessage() + ": " + fuse.program().getFileName() + " cannot mount the image ("
                    + fuse.why() + ")", problem.hint());
        });
        return fuse;
    }

    private static String notInstalled(String program) {
        return program + " is not installed";
    }
}
