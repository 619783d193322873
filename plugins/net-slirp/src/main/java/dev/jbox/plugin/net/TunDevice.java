package dev.jbox.plugin.net;

import dev.jbox.JboxException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code /dev/net/tun}, which slirp4netns and pasta open inside the sandbox's namespaces as the
 * invoking user: the device node's host mode decides, so it must be usable by that user (udev
 * makes it 0666 on most distributions; some minimal hosts leave it 0600 root).
 */
record TunDevice(Path path) {
    static final TunDevice DEFAULT = new TunDevice(Path.of("/dev/net/tun"));

    void check(Backend backend) {
        String what = "--network: " + backend.program() + " needs " + path;
        if (!Files.exists(path)) {
            throw new JboxException(what + ": ENOENT (No such file or directory)",
                    "load the tun module: sudo modprobe tun (and create the node: sudo mkdir -p /dev/net && sudo mknod -m 0666 /dev/net/tun c 10 200)");
        }
        if (!Files.isReadable(path) || !Files.isWritable(path)) {
            throw new JboxException(what + ": EACCES (Permission denied: it is not readable and writable by you)",
                    "make it usable by everyone, as udev does on most systems: sudo chmod 0666 " + path
                            + " (to keep it across reboots, a udev rule: KERNEL==\"tun\", MODE=\"0666\")");
        }
    }
}
