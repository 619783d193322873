package dev.jbox.plugin.cgroup;

import java.util.Set;

/**
 * One cgroup v2 directory as jbox found it (read-only): which controllers it offers its children
 * ({@code cgroup.controllers}), which it has enabled for them ({@code cgroup.subtree_control}),
 * how many processes it holds and whether jbox's own process is the only one, and whether jbox may
 * create cgroups and move processes there
 * (writable directory, {@code cgroup.procs} and {@code cgroup.subtree_control}: delegated to this user).
 *
 * @param path the cgroup's name as {@code /proc/PID/cgroup} shows it, e.g. {@code /user.slice/x.scope}
 */
public record DirFacts(String path, Set<String> controllers, Set<String> subtreeControl, int processes, boolean onlySelf, boolean writable) {
    public DirFacts {
        controllers = Set.copyOf(controllers);
        subtreeControl = Set.copyOf(subtreeControl);
    }

    /** This cgroup once its processes have moved out (to a leaf of its own). */
    public DirFacts withoutProcesses() {
        return new DirFacts(path, controllers, subtreeControl, 0, false, writable);
    }

    /** The parent cgroup's name, or null for the root. */
    public static String parentOf(String path) {
        if (path.equals("/")) return null;
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }
}
