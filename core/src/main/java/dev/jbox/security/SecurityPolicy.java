package dev.jbox.security;

import dev.jbox.linux.Arch;
import dev.jbox.linux.Capabilities;
import dev.jbox.linux.seccomp.DefaultFilters;
import dev.jbox.linux.seccomp.KernelVersion;
import dev.jbox.linux.seccomp.OciProfileParser;
import dev.jbox.linux.seccomp.ProfileEntry;
import dev.jbox.linux.seccomp.SeccompFilter;
import dev.jbox.spec.Identity;
import dev.jbox.spec.SecuritySpec;

/**
 * Turns a sandbox's {@link SecuritySpec} into the {@link SecurityPlan} the launcher executes.
 * The default filter is compiled once per architecture, capability set and kernel, and reused.
 */
public final class SecurityPolicy {
    private SecurityPolicy() {}

    /**
     * Resolves for the running kernel.
     *
     * @throws dev.jbox.spec.SpecException for unknown capabilities or an unusable profile
     * @throws dev.jbox.JboxException when a profile file cannot be read
     */
    public static SecurityPlan resolve(SecuritySpec spec, Identity identity, Arch arch) {
        return resolve(spec, identity, arch, Capabilities.lastCapOfRunningKernel(), KernelVersion.running());
    }

    /** Resolves for a given kernel ({@code cap_last_cap} and version): what tests use. */
    public static SecurityPlan resolve(SecuritySpec spec, Identity identity, Arch arch, int lastCap, KernelVersion kernel) {
        Capabilities caps = Capabilities.resolve(spec.capAdd(), spec.capDrop(), identity.uid() == 0, lastCap);
        ProfileEntry.Sandbox sandbox = new ProfileEntry.Sandbox(arch, caps.boundingNames(), kernel);
        return new SecurityPlan(arch, caps, filter(spec.seccomp(), sandbox));
    }

    /** The filter, or null for unconfined. Not a pattern switch, on the launch path (StartupPathTest says why). */
    private static SeccompFilter filter(SecuritySpec.Seccomp seccomp, ProfileEntry.Sandbox sandbox) {
        if (seccomp instanceof SecuritySpec.Seccomp.Default) return DefaultFilters.filter(sandbox);
        if (seccomp instanceof SecuritySpec.Seccomp.Unconfined) return null;
        if (seccomp instanceof SecuritySpec.Seccomp.ProfileFile f) return SeccompFilter.compile(OciProfileParser.parse(f.path()), sandbox);
        throw new IllegalArgumentException("unknown seccomp setting " + seccomp.getClass().getSimpleName());
    }
}
