package dev.jbox.plugin.storage.store;

import dev.jbox.plugin.storage.oci.Digest;

/**
 * What {@code sandboxes/ID/sandbox.json} records about a writable layer: which image it sits on
 * (so {@code rmi} can refuse), and the sandbox's name if it is kept until {@code jbox rm}.
 */
public record SandboxRecord(String id, String name, String image, Digest config, String created) {
    /** A named sandbox keeps its writable layer after exit; an unnamed one ({@code --rm}) does not. */
    public boolean kept() {
        return name != null;
    }
}
