package dev.jbox.plugin.net;

import dev.jbox.spec.NetworkSpec;

import java.nio.file.Path;

/**
 * What a backend needs to attach to one sandbox.
 *
 * @param network    mode, published ports, host loopback access
 * @param rootMapped whether uid and gid 0 exist in the sandbox's user namespace (slirp4netns's
 *                   own sandbox switches to them)
 * @param dir        this sandbox's private directory for the helper's socket and log
 */
record Attachment(NetworkSpec network, boolean rootMapped, Path dir) {
    Path log(Backend backend) {
        return dir.resolve(backend.program() + ".log");
    }
}
