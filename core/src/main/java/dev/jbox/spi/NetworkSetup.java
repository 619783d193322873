package dev.jbox.spi;

import dev.jbox.spec.MountSpec;

import java.util.List;

/** Files a network provider binds into the sandbox, and its hooks. */
public record NetworkSetup(List<MountSpec.Bind> files, LaunchHooks hooks) {
    public NetworkSetup {
        files = List.copyOf(files);
    }
}
