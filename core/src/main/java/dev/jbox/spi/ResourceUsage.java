package dev.jbox.spi;

/**
 * A running sandbox's resource usage, read from its cgroup. Null means "not known" (the
 * controller is not enabled for the sandbox's cgroup); a null limit also means "no limit".
 *
 * @param memoryBytes       {@code memory.current}
 * @param memoryLimitBytes  {@code memory.max}
 * @param cpuUsageMicros    {@code cpu.stat usage_usec}: CPU time used, all cpus together
 * @param cpuThrottledMicros {@code cpu.stat throttled_usec}: time held back by {@code --cpus}
 * @param pids              {@code pids.current}
 * @param pidsLimit         {@code pids.max}
 * @param oomKills          {@code memory.events oom_kill}: processes killed for exceeding {@code --memory}
 */
public record ResourceUsage(Long memoryBytes, Long memoryLimitBytes, Long cpuUsageMicros, Long cpuThrottledMicros,
                            Long pids, Long pidsLimit, Long oomKills) {}
