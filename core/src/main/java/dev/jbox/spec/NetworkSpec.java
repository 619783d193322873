package dev.jbox.spec;

import java.util.List;

/** Network mode, published ports, and whether the host's loopback is reachable from inside. */
public record NetworkSpec(NetworkMode mode, List<PortMapping> ports, boolean allowHostLoopback) {
    public static final NetworkSpec NONE = new NetworkSpec(NetworkMode.NONE, List.of(), false);

    public NetworkSpec {
        ports = List.copyOf(ports);
        if (!ports.isEmpty() && !mode.needsPlugin()) {
            throw new SpecException("-p needs a userspace network: add --network slirp (or pasta/auto); with --network "
                    + mode.label() + " there is nothing to publish through");
        }
    }
}
