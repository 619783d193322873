package dev.jbox.plan;

import java.util.List;

/**
 * What of the host's services a sandbox could reach unless the plan hides it: the unix sockets
 * bound on the host (canonical host paths, plus the names a symlinked bind source gives them), the
 * check whether the invoking user may connect to one (asked only for those the sandbox would
 * show: most live where the sandbox has its own /run or /tmp), and the user's runtime directory
 * ({@code $XDG_RUNTIME_DIR}), where a session's services listen. docs/security.md, "Host sockets",
 * says how each is hidden.
 */
public record HostExposure(List<String> sockets, Reachability reachability, String runtimeDir) {
    public static final HostExposure NONE = new HostExposure(List.of(), socket -> true, null);

    public HostExposure {
        sockets = List.copyOf(sockets);
    }

    /** Whether the sandbox, acting as the invoking user, could connect to the socket at a host path. */
    @FunctionalInterface
    public interface Reachability {
        boolean reachable(String socket);
    }
}
