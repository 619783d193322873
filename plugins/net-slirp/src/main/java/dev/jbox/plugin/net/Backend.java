package dev.jbox.plugin.net;

import dev.jbox.JboxException;
import dev.jbox.spec.NetworkMode;
import dev.jbox.spec.PortMapping;

import java.io.IOException;
import java.util.List;

/**
 * A userspace network helper that attaches to a sandbox's network namespace from the host: it
 * creates {@value #TAP} inside, configures it, and relays its traffic through host sockets.
 */
sealed interface Backend permits Slirp4netns, Pasta {
    /** The interface both helpers create in the sandbox. */
    String TAP = "tap0";

    /** The program, for messages: {@code slirp4netns}. */
    String program();

    /** The distribution package that installs it. */
    String packageName();

    /** The DNS forwarder's address as the sandbox sees it, for {@code /etc/resolv.conf}. */
    String nameserver();

    /** An address of the sandbox itself, for its hostname in {@code /etc/hosts}. */
    String sandboxAddress();

    /** Refuses (JboxException) a publication this helper cannot make, before anything starts. */
    void checkPublishable(PortMapping port);

    /** The helper's argv to attach to the namespaces of {@code pid}; it signals readiness on stdout. */
    List<String> command(int pid, Attachment attachment);

    /** Runs once the helper is ready, before the workload is released (slirp4netns publishes ports here). */
    default void afterReady(Attachment attachment) throws IOException {}

    /** The installed backend for a mode: pasta first for {@code auto}, as podman 5 does. */
    static Backend choose(NetworkMode mode, Executables path) {
        return switch (mode) {
            case SLIRP -> Slirp4netns.find(path);
            case PASTA -> Pasta.find(path);
            case AUTO -> Pasta.findOptional(path).map(Backend.class::cast).or(() -> Slirp4netns.findOptional(path).map(Backend.class::cast))
                    .orElseThrow(() -> new JboxException("--network auto: neither pasta nor slirp4netns is installed",
                            "install one: apt install passt (pasta), or apt install slirp4netns"));
            case NONE, HOST -> throw new IllegalArgumentException("--network " + mode.label() + " needs no helper");
        };
    }
}
