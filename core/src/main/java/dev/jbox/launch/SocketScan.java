package dev.jbox.launch;

import dev.jbox.JboxException;
import dev.jbox.linux.Linux;
import dev.jbox.linux.UnixSocketTable;
import dev.jbox.plan.HostExposure;
import dev.jbox.spec.MountSpec;
import dev.jbox.spec.SandboxSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the host sockets a sandbox could reach: every path the kernel lists as bound
 * ({@link UnixSocketTable}), by its canonical name. Whether the invoking user may connect to one
 * (write permission on it, search on its directories: what connect(2) checks, and the sandbox
 * acts with the user's credentials) is asked by the plan only for the sockets the sandbox would
 * show: on a busy host most are in /run, which the sandbox has its own of.
 */
public final class SocketScan {
    private SocketScan() {}

    /** Whether Java maps file names to bytes as UTF-8: without a locale (cron, env -i) it uses ASCII. */
    private static final boolean JAVA_NAMES_ARE_UTF8 = "UTF-8".equals(System.getProperty("sun.jnu.encoding"));

    public static HostExposure of(SandboxSpec spec) {
        List<String> bound;
        try {
            bound = UnixSocketTable.boundPaths();
        } catch (IOException e) {
            throw new JboxException("reading the host's unix sockets from " + UnixSocketTable.FILE + ": " + e.getMessage(),
                    "jbox needs it to hide the host's services from the sandbox; is /proc mounted?");
        }
        Set<String> sockets = new LinkedHashSet<>();
        Map<String, String> realDirs = new HashMap<>();
        for (String path : bound) {
            String canonical = canonical(path, realDirs);
            if (canonical != null) sockets.add(canonical);
        }
        sockets.addAll(namesThroughBindSources(spec, sockets));
        return new HostExposure(new ArrayList<>(sockets), SocketScan::reachable, runtimeDir());
    }

    /**
     * The socket's path with its directory's symlinks resolved (the socket itself is the inode
     * bind(2) made: no link), each directory resolved once; null when the directory is gone. A name
     * Java cannot resolve unchanged (not UTF-8, or not ASCII while Java names files in ASCII) is
     * kept as listed, and hidden wherever it shows.
     */
    private static String canonical(String listed, Map<String, String> realDirs) {
        if (!javaCanName(listed)) return listed;
        int slash = listed.lastIndexOf('/');
        String dir = realDirs.computeIfAbsent(slash == 0 ? "/" : listed.substring(0, slash), SocketScan::realOrNull);
        if (dir == null) return null;
        return (dir.equals("/") ? "" : dir) + listed.substring(slash);
    }

    private static String realOrNull(String dir) {
        try {
            return Path.of(dir).toRealPath().toString();
        } catch (IOException | java.nio.file.InvalidPathException e) {
            return null;
        }
    }

    /** Still a socket (not a file that took its name since), and open to the user. Raw calls: cheap, and any name. */
    static boolean reachable(String socket) {
        return Linux.isConnectableSocket(socket);
    }

    /**
     * A bind source given through a symlink ({@code -v ~/link:/data}) shows the sockets under its
     * target; the plan matches sources by name, so each such socket is also listed by that name.
     */
    private static List<String> namesThroughBindSources(SandboxSpec spec, Set<String> sockets) {
        List<String> aliases = new ArrayList<>();
        for (MountSpec m : spec.mounts()) {
            if (!(m instanceof MountSpec.Bind b)) continue;
            String given = b.source().toString();
            String real;
            try {
                real = b.source().toRealPath().toString();
            } catch (IOException e) {
                continue;  // a missing source is reported before anything starts
            }
            if (real.equals(given)) continue;
            String prefix = real.equals("/") ? "/" : real + "/";
            for (String s : sockets) {
                if (s.equals(real)) aliases.add(given);
                else if (s.startsWith(prefix)) aliases.add(given + "/" + s.substring(prefix.length()));
            }
        }
        return aliases;
    }

    private static boolean javaCanName(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (Character.isSurrogate(c) || (c > 0x7F && !JAVA_NAMES_ARE_UTF8)) return false;
        }
        return true;
    }

    private static String runtimeDir() {
        String dir = System.getenv("XDG_RUNTIME_DIR");
        return dir != null && dir.startsWith("/") ? dir : null;
    }
}
