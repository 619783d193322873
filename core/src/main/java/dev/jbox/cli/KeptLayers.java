package dev.jbox.cli;

import dev.jbox.JboxException;
import dev.jbox.spi.StorageProvider;

import java.util.List;

/** What storage plugins keep for a sandbox after it exits (a named image sandbox's writable layer). */
final class KeptLayers {
    private KeptLayers() {}

    /** Removes what any storage plugin keeps under {@code idOrName}; false if none kept anything. */
    static boolean remove(List<StorageProvider> storage, String idOrName) {
        boolean removed = false;
        for (StorageProvider p : storage) {
            try {
                removed |= p.remove(idOrName);
            } catch (JboxException e) {
                throw e;
            } catch (Exception e) {
                throw new JboxException("removing the writable layer of " + idOrName + ": " + e.getMessage());
            }
        }
        return removed;
    }

    /** {@code --rm}: as {@link #remove}, reporting a failure on stderr instead of failing the run. */
    static void removeAfterRun(List<StorageProvider> storage, String idOrName) {
        try {
            remove(storage, idOrName);
        } catch (JboxException e) {
            System.err.println("jbox: " + e.userMessage());
        }
    }
}
