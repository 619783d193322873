package dev.jbox.plugin.cgroup;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Where the plugin looks and what it uses: the file system root ("/" except in tests, which lay out
 * a fake {@code /proc} and {@code /sys/fs/cgroup} in a temporary directory), jbox's own pid, the environment
 * (bus addresses), the cgroup file operations, how long to wait for systemd, and where warnings go.
 */
public record Host(Path root, long selfPid, Map<String, String> env, CgroupFs fs, Duration jobTimeout, Consumer<String> warnings) {
    static final Duration DEFAULT_JOB_TIMEOUT = Duration.ofSeconds(15);

    public Host {
        env = Map.copyOf(env);
    }

    /** This machine, warnings through the logger. */
    public static Host real() {
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CgroupDelegateLimiter.class);
        return new Host(Path.of("/"), ProcessHandle.current().pid(), System.getenv(), CgroupFs.KERNEL, DEFAULT_JOB_TIMEOUT, log::warn);
    }

    /** {@code /proc/<relative>} */
    public Path proc(String relative) {
        return root.resolve("proc").resolve(relative);
    }

    /** An absolute host path, under {@link #root}. */
    public Path at(String absolute) {
        return root.resolve(absolute.substring(1));
    }

    public String env(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value;
    }

    public void warn(String message) {
        warnings.accept(message);
    }
}
