package dev.jbox.plan;

import dev.jbox.linux.MountFlags;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the assembled root still shows a host socket, read off the plan's own mounts in order: a
 * bind of a host tree (the host's {@code /}, a --rootfs directory, a -v source) shows every socket
 * under its source at the same place under its target, unless a later mount covers that place
 * (the sandbox's own /run, /tmp, ... or another bind). Each such place of a socket the user may
 * connect to gets a {@link Step.HideSocket}. A bind whose source is the socket itself is the user
 * asking for it: not hidden.
 */
final class SocketCovers {
    private SocketCovers() {}

    static List<Step.HideSocket> of(List<Step> steps, HostExposure exposure) {
        List<Step.Mount> mounts = new ArrayList<>();
        for (Step s : steps) {
            if (s instanceof Step.Mount m && isInSandbox(m.target())) mounts.add(m);
        }
        // The last mount on each target: a place is covered after mount i if it or a directory above it is a later target.
        Map<String, Integer> lastOn = new HashMap<>();
        for (int i = 0; i < mounts.size(); i++) lastOn.put(mounts.get(i).target(), i);
        Set<String> targets = new LinkedHashSet<>();
        List<Step.HideSocket> covers = new ArrayList<>();
        for (String socket : exposure.sockets()) {
            Boolean reachable = null;  // asked once, and only if the socket shows somewhere
            for (int i = 0; i < mounts.size(); i++) {
                String source = hostSource(mounts.get(i));
                if (source == null || socket.equals(source) || !isUnder(socket, source)) continue;
                String rest = source.equals("/") ? socket : socket.substring(source.length());
                String seen = mounts.get(i).target() + rest;
                if (coveredAfter(lastOn, i, seen)) continue;
                if (reachable == null) reachable = exposure.reachability().reachable(socket);
                if (reachable && targets.add(seen)) covers.add(new Step.HideSocket(socket, seen));
            }
        }
        return covers;
    }

    private static boolean isInSandbox(String target) {
        return isUnder(target, Staging.NEW_ROOT) || target.equals(Staging.NEW_ROOT);
    }

    /** The host path a bind mount shows, or null for a fresh filesystem (tmpfs, proc, overlay ...). */
    private static String hostSource(Step.Mount m) {
        if ((m.flags() & MountFlags.MS_BIND) == 0 || m.source() == null) return null;
        if (m.source().equals(Staging.OLD_ROOT)) return "/";
        return isUnder(m.source(), Staging.OLD_ROOT) ? m.source().substring(Staging.OLD_ROOT.length()) : null;
    }

    private static boolean coveredAfter(Map<String, Integer> lastOn, int index, String path) {
        for (String p = path; p.length() > Staging.NEW_ROOT.length(); p = p.substring(0, p.lastIndexOf('/'))) {
            Integer last = lastOn.get(p);
            if (last != null && last > index) return true;
        }
        return false;
    }

    private static boolean isUnder(String path, String dir) {
        return dir.equals("/") ? path.startsWith("/") && !path.equals("/") : path.startsWith(dir) && path.length() > dir.length() && path.charAt(dir.length()) == '/';
    }
}
