package dev.jbox.spec;

/** Who the workload runs as inside the sandbox. */
public record Identity(UserNamespaceMode userns, int uid, int gid) {
    public static final Identity ROOT = new Identity(UserNamespaceMode.SINGLE, 0, 0);

    public Identity {
        if (uid < 0 || gid < 0) throw new SpecException("--user: ids must be 0 or greater, got " + uid + ":" + gid);
    }

    /** Parses {@code UID[:GID]} (numeric; a missing GID equals UID, as in podman). */
    public static Identity parseUser(UserNamespaceMode mode, String value) {
        String[] parts = value.split(":", -1);
        if (parts.length > 2) throw new SpecException("--user " + value + ": expected UID[:GID]");
        try {
            int uid = Integer.parseInt(parts[0]);
            int gid = parts.length == 2 ? Integer.parseInt(parts[1]) : uid;
            return new Identity(mode, uid, gid);
        } catch (NumberFormatException e) {
            throw new SpecException("--user " + value + ": expected numeric UID[:GID] (names are not resolved yet)");
        }
    }
}
