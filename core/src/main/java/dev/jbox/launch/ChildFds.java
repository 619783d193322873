package dev.jbox.launch;

/**
 * The parent's fd numbers the child starts from: its ends of the go and ready pipes and the
 * sources of its stdio. The chain moves them to fixed numbers (0-2 stdio, 3 go, 4 ready).
 */
record ChildFds(int go, int ready, int stdin, int stdout, int stderr) {
    static final int GO = 3, READY = 4, FIRST_FREE = 5;
    /** The pty master opened in the sandbox (first free fd after the loopback socket is closed). */
    static final int TERMINAL = FIRST_FREE;

    int[] sources() { return new int[] {stdin, stdout, stderr, go, ready}; }

    static int[] targets() { return new int[] {0, 1, 2, GO, READY}; }
}
