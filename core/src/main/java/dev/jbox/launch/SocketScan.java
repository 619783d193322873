package dev.jbox.launch;

import dev.jbox.JboxException;
import dev.jbox.linux.UnixSocketTable;
import dev.jbox.plan.HostExposure;
import dev.jbox.spec.MountSpec;
import dev.jbox.spec.SandboxSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the host sockets a sandbox could reach: every path the kernel lists as bound
 * ({@link UnixSocketTable}) that is still a socket and that the invoking user may connect to
 * (write permission on it, search on its directories: what connect(2) checks, and the sandbox
 * acts with the user's credentials). The plan hides them wherever its root and binds show them.
 */
public final class SocketScan {
    private SocketScan() {}

    public static HostExposure of(SandboxSpec spec) {
        List<String> bound;
        try {
            bound = UnixSocketTable.boundPaths();
        } catch (IOException e) {
            throw new JboxException("reading the host's unix sockets from " + UnixSocketTable.FILE + ": " + e.getMessage(),
                    "jbox needs it to hide the host's services from the sandbox; is /proc mounted?");
        }
        Set<String> reachable = new LinkedHashSet<>();
        for (String path : bound) {
            String real = reachableSocket(path);
            if (real != null) reachable.add(real);
        }
        reachable.addAll(namesThroughBindSources(spec, reachable));
        return new HostExposure(new ArrayList<>(reachable), runtimeDir());
    }

    /** Whether Java maps file names to bytes as UTF-8: without a locale (cron, env -i) it uses ASCII. */
    private static final boolean JAVA_NAMES_ARE_UTF8 = "UTF-8".equals(System.getProperty("sun.jnu.encoding"));

    /**
     * The socket's canonical path, or null when it is gone, no longer a socket, or closed to the
     * user. A name Java cannot pass to the kernel unchanged (not UTF-8, or not ASCII while Java
     * names files in ASCII) cannot be checked: it is kept as listed, and hidden if it shows.
     */
    static String reachableSocket(String listed) {
        if (!javaCanName(listed)) return listed;
        try {
            Path real = Path.of(listed).toRealPath();
            BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.isOther() && Files.isWritable(real) ? real.toString() : null;
        } catch (IOException | java.nio.file.InvalidPathException e) {
            return null;
        }
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
            for (String s : sockets) {
                if (s.equals(real)) aliases.add(given);
                else if (s.startsWith(real.equals("/") ? "/" : real + "/")) aliases.add(given + s.substring(real.equals("/") ? 0 : real.length()));
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
