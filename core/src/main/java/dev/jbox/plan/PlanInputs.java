package dev.jbox.plan;

import dev.jbox.spec.MountSpec;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.spi.PreparedRoot.ImageDefaults;
import dev.jbox.spi.PreparedRoot.RootMount;

import java.util.List;

/**
 * Everything a plan is compiled from: the spec, facts about the host, the root filesystem as
 * prepared (by the core or a storage plugin), files plugins bind in, resolved hardening, and
 * what of the host's services the root would show.
 */
public record PlanInputs(SandboxSpec spec, HostFacts host, RootMount root, ImageDefaults image,
                         List<MountSpec> pluginMounts, MountTargets targets, Hardening hardening, HostExposure exposure) {
    public PlanInputs {
        pluginMounts = List.copyOf(pluginMounts);
    }

    /** Inputs with nothing of the host's services to hide (unit tests, benchmarks). */
    public PlanInputs(SandboxSpec spec, HostFacts host, RootMount root, ImageDefaults image,
                      List<MountSpec> pluginMounts, MountTargets targets, Hardening hardening) {
        this(spec, host, root, image, pluginMounts, targets, hardening, HostExposure.NONE);
    }
}
