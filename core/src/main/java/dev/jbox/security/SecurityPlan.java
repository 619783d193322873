package dev.jbox.security;

import dev.jbox.linux.Capabilities;
import dev.jbox.linux.Arch;
import dev.jbox.linux.seccomp.SeccompFilter;

import java.util.Optional;

/**
 * What the launch chain applies right before exec, in this order: drop
 * {@link Capabilities#boundingDrops()} from the bounding set, {@code capset} the
 * {@link Capabilities#capsetArguments()}, {@code prctl(PR_SET_NO_NEW_PRIVS, 1)} (always),
 * {@code setresgid}/{@code setresuid}, then install {@link #seccomp()} unless it is empty.
 *
 * @param seccomp null for {@code --seccomp=unconfined}
 */
public record SecurityPlan(Arch arch, Capabilities capabilities, SeccompFilter seccomp) {
    /** jbox always sets no_new_privs: setuid binaries and file capabilities grant nothing inside. */
    public boolean noNewPrivs() {
        return true;
    }

    public Optional<SeccompFilter> seccompFilter() {
        return Optional.ofNullable(seccomp);
    }

    /** Lines for {@code jbox run --dry-run}. */
    public String describe() {
        return "capabilities: " + capabilities.describe() + "\nno_new_privs: yes\nseccomp: "
                + (seccomp == null ? "unconfined" : seccomp.describe(arch));
    }
}
