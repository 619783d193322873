package dev.jbox.plugin.cgroup;

import java.util.Optional;
import java.util.Set;

/** Whether the systemd user manager can be reached, found out before the backend is chosen. */
public sealed interface BusStatus {
    /**
     * The user manager answers on {@code address}. {@code delegated} is the {@code cgroup.controllers}
     * of the manager's own cgroup: what it can give its units (empty if jbox could not read it).
     */
    record Available(String address, Optional<Set<String>> delegated) implements BusStatus {}

    /** It cannot: {@code reason} names the missing piece, {@code hint} the fix. */
    record Unavailable(String reason, String hint) implements BusStatus {}

    /** For {@code --cgroup-manager=cgroupfs}, where the bus is not looked at. */
    BusStatus NOT_PROBED = new Unavailable("the systemd backend was not tried", null);
}
