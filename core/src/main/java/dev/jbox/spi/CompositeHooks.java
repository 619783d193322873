package dev.jbox.spi;

import java.util.ArrayList;
import java.util.List;

/**
 * Several plugins' hooks run as one: in order at each protocol point, closed in reverse order, each
 * close attempted even when an earlier one failed.
 */
public final class CompositeHooks implements LaunchHooks {
    private final List<LaunchHooks> hooks = new ArrayList<>();
    private boolean closed;

    public void add(LaunchHooks h) {
        hooks.add(h);
    }

    @Override
    public void childCreated(ChildProcess child) throws Exception {
        for (LaunchHooks h : hooks) h.childCreated(child);
    }

    /** Whether no plugin added hooks: nothing runs at any protocol point. */
    public boolean isEmpty() {
        return hooks.isEmpty();
    }

    @Override
    public boolean usesChildCreated() {
        return hooks.stream().anyMatch(LaunchHooks::usesChildCreated);
    }

    @Override
    public void beforeRelease(ChildProcess child) throws Exception {
        for (LaunchHooks h : hooks) h.beforeRelease(child);
    }

    @Override
    public void exited(ExitStatus status) {
        for (LaunchHooks h : hooks) h.exited(status);
    }

    /** Every plugin's note, one per line ("killed: out of memory, limit 64 MiB"). */
    @Override
    public java.util.Optional<String> exitNote() {
        String notes = String.join("\n", hooks.stream().map(LaunchHooks::exitNote).flatMap(java.util.Optional::stream).toList());
        return notes.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(notes);
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        for (int i = hooks.size() - 1; i >= 0; i--) {
            try {
                hooks.get(i).close();
            } catch (RuntimeException e) {
                System.getLogger("jbox").log(System.Logger.Level.WARNING, "cleaning up: " + e.getMessage(), e);
            }
        }
    }
}
