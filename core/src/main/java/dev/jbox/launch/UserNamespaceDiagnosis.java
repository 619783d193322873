package dev.jbox.launch;

import dev.jbox.JboxException;
import dev.jbox.linux.Errno;
import dev.jbox.linux.ProcFiles;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * Says precisely why the kernel refused a new user namespace: which sysctl, and what to do.
 * Pure over a reader of /proc/sys values, so every case is unit-tested.
 */
public final class UserNamespaceDiagnosis {
    private UserNamespaceDiagnosis() {}

    public static final String UNPRIVILEGED_CLONE = "kernel/unprivileged_userns_clone";
    public static final String MAX_USER_NAMESPACES = "user/max_user_namespaces";
    public static final String APPARMOR_RESTRICT = "kernel/apparmor_restrict_unprivileged_userns";

    /** Reads {@code /proc/sys/<name>}, or null when the sysctl does not exist on this kernel. */
    public static String readSysctl(String name) {
        return ProcFiles.read(Path.of("/proc/sys", name)).orElse(null);
    }

    /** The problem with unprivileged user namespaces on this host, or null if the sysctls allow them. */
    public static String problem(Function<String, String> sysctl) {
        if ("0".equals(sysctl.apply(UNPRIVILEGED_CLONE))) {
            return "unprivileged user namespaces are disabled (sysctl kernel.unprivileged_userns_clone = 0); "
                    + "an administrator can enable them: sysctl -w kernel.unprivileged_userns_clone=1";
        }
        if ("0".equals(sysctl.apply(MAX_USER_NAMESPACES))) {
            return "user namespaces are disabled (sysctl user.max_user_namespaces = 0); "
                    + "an administrator can allow them: sysctl -w user.max_user_namespaces=15000";
        }
        if ("1".equals(sysctl.apply(APPARMOR_RESTRICT))) {
            return "AppArmor restricts unprivileged user namespaces (sysctl kernel.apparmor_restrict_unprivileged_userns = 1); "
                    + "an administrator can add an AppArmor profile for jbox's java with 'userns,' or set the sysctl to 0";
        }
        return null;
    }

    static JboxException cloneFailed(int errno) {
        String problem = problem(UserNamespaceDiagnosis::readSysctl);
        String what = "creating the sandbox's user and pid namespaces: clone: " + Errno.nameOf(errno);
        if (problem != null) return new JboxException(what, problem);
        if (errno == Errno.ENOSPC.number) {
            return new JboxException(what, "the per-user limit of user namespaces is reached (user.max_user_namespaces); end other sandboxes or raise it");
        }
        return new JboxException(what, "run jbox doctor");
    }
}
