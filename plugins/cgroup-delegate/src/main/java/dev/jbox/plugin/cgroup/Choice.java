package dev.jbox.plugin.cgroup;

import java.util.Set;

/** The outcome of {@link Diagnosis}: a backend that can apply every requested limit, or a refusal. */
public sealed interface Choice {
    /** A transient scope from the systemd user manager on {@code busAddress}. */
    record Systemd(String busAddress) implements Choice {}

    /**
     * A leaf cgroup created under {@code parent} (a cgroup name), after enabling {@code enable}
     * in its {@code cgroup.subtree_control}.
     */
    record Cgroupfs(String parent, Set<Controller> enable) implements Choice {
        public Cgroupfs {
            enable = Set.copyOf(enable);
        }
    }

    /** No backend can: {@code message} names the missing piece, {@code hint} the fix (may be null). */
    record Refused(String message, String hint) implements Choice {}
}
