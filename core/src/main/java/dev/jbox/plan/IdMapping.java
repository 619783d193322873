package dev.jbox.plan;

import dev.jbox.spec.UserNamespaceMode;

/**
 * How the sandbox's user namespace maps ids. SINGLE maps the invoking user to {@code insideUid}
 * (root unless {@code --user} says otherwise) with setgroups denied; AUTO maps the invoking user
 * to 0 and a subordinate range above it, through newuidmap/newgidmap.
 */
public record IdMapping(UserNamespaceMode mode, int hostUid, int hostGid, int insideUid, int insideGid) {
    public String singleUidMap() { return insideUid + " " + hostUid + " 1\n"; }
    public String singleGidMap() { return insideGid + " " + hostGid + " 1\n"; }

    public String describe() {
        return mode == UserNamespaceMode.SINGLE
                ? "uid " + hostUid + " -> " + insideUid + ", gid " + hostGid + " -> " + insideGid + ", setgroups deny"
                : "uid " + hostUid + " -> 0 plus subordinate ids (newuidmap/newgidmap), workload as " + insideUid + ":" + insideGid;
    }
}
