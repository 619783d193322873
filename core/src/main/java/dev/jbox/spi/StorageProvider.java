package dev.jbox.spi;

import dev.jbox.spec.RootFs;
import org.pf4j.ExtensionPoint;

/** Supplies root filesystems the core cannot (images). Extension point of the storage-overlay plugin. */
public interface StorageProvider extends ExtensionPoint {
    /** Whether this provider can prepare {@code rootfs}. */
    boolean supports(RootFs rootfs);

    /** Makes the root filesystem ready on the host: layers present, upper/work dirs created. */
    PreparedRoot prepare(SandboxContext context) throws Exception;

    /**
     * {@code jbox rm}: deletes what this provider keeps for a named sandbox after it exits (its
     * writable layer). Returns false if it keeps nothing for {@code sandboxIdOrName}.
     */
    default boolean remove(String sandboxIdOrName) throws Exception {
        return false;
    }
}
