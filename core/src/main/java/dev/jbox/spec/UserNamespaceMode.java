package dev.jbox.spec;

/** How ids are mapped into the sandbox's user namespace. */
public enum UserNamespaceMode {
    /** The invoking uid/gid mapped to the sandbox user (root by default); setgroups denied. */
    SINGLE,
    /** {@code --userns=auto}: invoking user → 0 plus a subordinate range from /etc/subuid and /etc/subgid. */
    AUTO
}
