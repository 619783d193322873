package dev.jbox.testing;

import dev.jbox.Sandbox;
import dev.jbox.spec.SandboxSpec;

import java.nio.file.Path;

/**
 * A library caller in a JVM of its own: starts {@link StdioProbe#workload} with the default
 * stdio, {@code Redirect.INHERIT}, and exits with its status. Arguments: the bound directory and
 * where it is mounted, then optionally a root filesystem directory.
 */
public final class InheritingSandbox {
    private InheritingSandbox() {}

    public static void main(String[] args) throws Exception {
        SandboxSpec.Builder spec = SandboxSpec.builder().command(StdioProbe.workload(args[1])).bind(Path.of(args[0]), args[1], false);
        if (args.length > 2) spec.rootfs(Path.of(args[2]));
        Runtime.getRuntime().halt(Sandbox.start(spec.build()).waitFor());
    }
}
