package dev.jbox.plan;

import java.util.List;

/**
 * What of the host's services a sandbox could reach unless the plan hides it: the unix sockets
 * bound on the host that the invoking user may connect to (canonical host paths, plus the names
 * a symlinked bind source gives them), and the user's runtime directory ({@code $XDG_RUNTIME_DIR}),
 * where a session's services listen. docs/security.md, "Host sockets", says how each is hidden.
 */
public record HostExposure(List<String> sockets, String runtimeDir) {
    public static final HostExposure NONE = new HostExposure(List.of(), null);

    public HostExposure {
        sockets = List.copyOf(sockets);
    }
}
