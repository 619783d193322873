package dev.jbox.spi;

import java.util.Optional;

/**
 * What a plugin does for one sandbox at each point of the launch protocol (DESIGN §2). The
 * launcher calls these in order; an exception from a hook aborts the launch (the child is killed,
 * nothing is exec'd) and is reported to the user. {@link #close()} runs exactly once on every path.
 */
public interface LaunchHooks extends AutoCloseable {
    LaunchHooks NONE = new LaunchHooks() {
        @Override
        public boolean usesChildCreated() {
            return false;
        }
    };

    /** Id maps are written; the child waits at the first sync point (place it in a cgroup here). */
    default void childCreated(ChildProcess child) throws Exception {}

    /**
     * Whether {@link #childCreated} does anything. When no plugin's does, a sandbox with a single
     * id mapping writes its own maps and never waits at the first sync point: one round trip less.
     */
    default boolean usesChildCreated() {
        return true;
    }

    /** Namespaces and mounts are ready; the workload is not exec'd yet (attach networking here). */
    default void beforeRelease(ChildProcess child) throws Exception {}

    /** The workload has exited and been reaped. */
    default void exited(ExitStatus status) {}

    /**
     * A line explaining how the workload ended, known only to this plugin, asked for after
     * {@link #exited}; the CLI prints it as {@code jbox: <note>} (e.g. "killed: out of memory, limit 64 MiB").
     */
    default Optional<String> exitNote() { return Optional.empty(); }

    /** Release helpers, units, files; must not throw. */
    @Override
    default void close() {}
}
