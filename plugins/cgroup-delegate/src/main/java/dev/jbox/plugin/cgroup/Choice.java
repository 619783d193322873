package dev.jbox.plugin.cgroup;

import java.util.Optional;
import java.util.Set;

/** The outcome of {@link Diagnosis}: a backend that can apply every requested limit, or a refusal. */
public sealed interface Choice {
    /** A transient scope from the systemd user manager on {@code busAddress}. */
    record Systemd(String busAddress) implements Choice {}

    /**
     * A leaf cgroup created under {@code parent} (a cgroup name), after enabling {@code enable}
     * in its {@code cgroup.subtree_control}. When {@code parent} is jbox's own delegated cgroup and
     * jbox is its only process, jbox first moves itself to the leaf {@code supervisor} (cgroup v2
     * lets a cgroup enable controllers for children only while it holds no processes).
     */
    record Cgroupfs(String parent, Set<Controller> enable, Optional<String> supervisor) implements Choice {
        public Cgroupfs {
            enable = Set.copyOf(enable);
        }

        Cgroupfs(String parent, Set<Controller> enable) {
            this(parent, enable, Optional.empty());
        }
    }

    /** No backend can: {@code message} names the missing piece, {@code hint} the fix (may be null). */
    record Refused(String message, String hint) implements Choice {}
}
