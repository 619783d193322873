package dev.jbox.spi;

import dev.jbox.spec.NetworkMode;
import org.pf4j.ExtensionPoint;

/** Userspace networking for a sandbox's network namespace. Extension point of the net-slirp plugin. */
public interface NetworkProvider extends ExtensionPoint {
    /** Whether this provider implements {@code mode} (SLIRP, PASTA, AUTO). */
    boolean supports(NetworkMode mode);

    /**
     * Checks what can be checked before launch (helper installed, ports free) and generates the
     * files to bind in ({@code /etc/resolv.conf}, {@code /etc/hosts}); returns the hooks that attach
     * the helper at {@link LaunchHooks#beforeRelease} and stop it on close.
     */
    NetworkSetup prepare(SandboxContext context) throws Exception;
}
