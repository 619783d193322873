package dev.jbox.plugin.cgroup;

/**
 * Everything the backend choice depends on, gathered by {@link HostProbe} so that {@link Diagnosis}
 * is a pure function of it.
 *
 * @param mountinfo  the text of {@code /proc/self/mountinfo}
 * @param selfCgroup the text of {@code /proc/self/cgroup}
 * @param own        jbox's own cgroup v2 directory, or null when there is none
 * @param parent     its parent, or null when {@code own} is null or the root
 * @param bus        the systemd user manager's reachability
 */
public record HostFacts(String mountinfo, String selfCgroup, DirFacts own, DirFacts parent, BusStatus bus) {}
