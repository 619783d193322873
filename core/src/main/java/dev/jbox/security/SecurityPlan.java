package dev.jbox.security;

import dev.jbox.linux.Capabilities;
import dev.jbox.linux.Arch;
import dev.jbox.linux.seccomp.SeccompFilter;
import dev.jbox.plan.Hardening;

import java.util.Optional;

/**
 * What the launch chain applies right before exec, in this order: drop
 * {@link Capabilities#boundingDrops()} from the bounding set, switch ids
 * ({@code setresgid}/{@code setresuid}), {@code capset} the final effective/permitted/inheritable
 * sets, {@code prctl(PR_SET_NO_NEW_PRIVS, 1)} (always), then install {@link #seccomp()} unless it
 * is empty. After the filter the chain may only make the calls the filter was checked to allow.
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

    /** The plan compiler's input: bounding drops, the final sets for capset, and the filter, if any. */
    public Hardening toHardening() {
        Capabilities c = capabilities;
        return seccomp == null
                ? new Hardening(c.boundingDropMask(), c.effective(), c.permitted(), c.inheritable(), null, 0, 0, "unconfined")
                : new Hardening(c.boundingDropMask(), c.effective(), c.permitted(), c.inheritable(),
                        seccomp.program().toBytes(), seccomp.program().length(), seccomp.flags(), seccomp.source());
    }

    /** Lines for {@code jbox run --dry-run}. */
    public String describe() {
        return "capabilities: " + capabilities.describe() + "\nno_new_privs: yes\nseccomp: "
                + (seccomp == null ? "unconfined" : seccomp.describe(arch));
    }
}
