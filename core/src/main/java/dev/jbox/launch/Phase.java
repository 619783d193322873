package dev.jbox.launch;

/** The protocol's own parts of the chain, used as negative step indexes in {@link Call}. */
enum Phase {
    HELLO(-1, "announcing the child"),
    FDS(-2, "arranging file descriptors"),
    WAIT_FOR_MAPS(-3, "waiting for the id maps"),
    WRITE_MAPS(-6, "writing the sandbox's id maps"),
    CHECKPOINT(-4, "reporting setup done and waiting for release"),
    EXEC(-5, "executing the command");

    final int index;
    final String description;

    Phase(int index, String description) {
        this.index = index;
        this.description = description;
    }

    static Phase of(int index) {
        for (Phase p : values()) if (p.index == index) return p;
        throw new IllegalArgumentException("no phase " + index);
    }
}
