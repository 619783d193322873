package dev.jbox.launch;

import dev.jbox.JboxException;
import dev.jbox.linux.Errno;

/**
 * A chain call that failed in the child, reported crun-style:
 * {@code mounting bind of /nope on /data: mount: ENOENT (No such file or directory)}.
 */
final class StepFailure {
    private StepFailure() {}

    static JboxException of(String stepDescription, String syscall, int errno) {
        Errno e = Errno.of(errno);
        String message = stepDescription + ": " + syscall + ": " + Errno.nameOf(errno) + (e == null ? "" : " (" + e.message + ")");
        return new JboxException(message, hint(syscall, errno));
    }

    private static String hint(String syscall, int errno) {
        if (syscall.startsWith("landlock_")) return "run jbox doctor; --allow-host-abstract-sockets starts the sandbox without Landlock";
        if (errno == Errno.EPERM.number || errno == Errno.EACCES.number) {
            return syscall.equals("mount") || syscall.equals("mount_setattr")
                    ? "is AppArmor or SELinux restricting user namespaces? run jbox doctor"
                    : "run jbox doctor";
        }
        if (errno == Errno.ENOENT.number) return "check that the path exists";
        if (errno == Errno.ENOSYS.number) return "this kernel lacks the call; jbox needs Linux 5.12 or newer";
        return null;
    }
}
