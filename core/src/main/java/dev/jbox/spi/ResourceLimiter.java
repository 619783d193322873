package dev.jbox.spi;

import org.pf4j.ExtensionPoint;

import java.util.Optional;

/**
 * Applies {@code spec.limits()} through cgroup v2. Extension point of the cgroup-delegate plugin.
 * A limiter that cannot apply every requested limit must refuse (throw a JboxException naming
 * the missing piece and the fix): limits are never silently ignored.
 */
public interface ResourceLimiter extends ExtensionPoint {
    /** Prepares the cgroup (or refuses); the hooks place the child at {@link LaunchHooks#childCreated}. */
    LaunchHooks prepare(SandboxContext context) throws Exception;

    /**
     * Current usage of the cgroup this limiter made for the sandbox whose first process has host
     * pid {@code pid} ({@code jbox stats}, {@code jbox inspect}); empty when it has none.
     */
    default Optional<ResourceUsage> usage(int pid) { return Optional.empty(); }
}
