package dev.jbox.spec;

import java.util.List;

/**
 * Network mode, published ports, and what of the host stays reachable from inside: its loopback
 * (slirp/pasta), its abstract unix sockets (host).
 */
public record NetworkSpec(NetworkMode mode, List<PortMapping> ports, boolean allowHostLoopback, boolean allowHostAbstractSockets) {
    public static final NetworkSpec NONE = new NetworkSpec(NetworkMode.NONE, List.of(), false, false);

    public NetworkSpec {
        ports = List.copyOf(ports);
        if (!ports.isEmpty() && !mode.needsPlugin()) {
            throw new SpecException("-p needs a userspace network: add --network slirp (or pasta/auto); with --network "
                    + mode.label() + " there is nothing to publish through");
        }
        if (allowHostAbstractSockets && mode != NetworkMode.HOST) {
            throw new SpecException("--allow-host-abstract-sockets (allow_host_abstract_sockets) needs --network host: with --network "
                    + mode.label() + " the sandbox's abstract unix sockets are its own, the host's are out of reach");
        }
    }

    /** Without a say on abstract sockets, which only --network host shares. */
    public NetworkSpec(NetworkMode mode, List<PortMapping> ports, boolean allowHostLoopback) {
        this(mode, ports, allowHostLoopback, false);
    }

    /**
     * Whether the host's abstract unix sockets (X11's @/tmp/.X11-unix/X0, D-Bus) are to be blocked:
     * the sandbox shares the host's network namespace, which holds them, and was not told to allow them.
     */
    public boolean blocksHostAbstractSockets() {
        return mode == NetworkMode.HOST && !allowHostAbstractSockets;
    }
}
