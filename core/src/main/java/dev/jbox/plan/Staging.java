package dev.jbox.plan;

/**
 * Where things are while the child sets up. Like bubblewrap, the child first pivots into a fresh
 * tmpfs; the host is then at {@link #OLD_ROOT} (so every bind source stays reachable, even under
 * the host's /tmp) and the sandbox's root is assembled at {@link #NEW_ROOT}.
 */
public final class Staging {
    private Staging() {}

    /** Host directory the staging tmpfs is mounted on (in the sandbox's private mount namespace). */
    public static final String BASE = "/tmp";
    public static final String NEW_ROOT = "/newroot";
    public static final String OLD_ROOT = "/oldroot";

    /** A host path as the child sees it after the first pivot. */
    public static String host(String hostPath) {
        return hostPath.equals("/") ? OLD_ROOT : OLD_ROOT + hostPath;
    }

    /** A sandbox path in the root being assembled. */
    public static String inside(String sandboxPath) {
        return sandboxPath.equals("/") ? NEW_ROOT : NEW_ROOT + sandboxPath;
    }

    /** The path a user recognises: {@code /newroot/proc} is shown as {@code /proc}. */
    public static String display(String path) {
        if (path.equals(NEW_ROOT)) return "/";
        if (path.startsWith(NEW_ROOT + "/")) return path.substring(NEW_ROOT.length());
        if (path.startsWith(OLD_ROOT + "/")) return "host:" + path.substring(OLD_ROOT.length());
        return path;
    }
}
