package dev.jbox.plan;

/**
 * The resolved security settings the last steps apply: capability masks and the seccomp program
 * (null for unconfined). Computed from the spec by the security policy before the plan.
 */
public record Hardening(long boundingDrop, long effective, long permitted, long inheritable,
                        byte[] seccompProgram, int seccompInstructions, int seccompFlags, String seccompName) {
    /** No capability changes and no seccomp filter: no_new_privs only. */
    public static final Hardening NONE = new Hardening(0, -1, -1, -1, null, 0, 0, "none");

    public boolean changesCapabilities() {
        return boundingDrop != 0 || effective != -1;
    }
}
