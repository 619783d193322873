package dev.jbox.spi;

/** The sandbox's first process while it waits at a sync point: host pid and a pidfd for it. */
public record ChildProcess(int pid, int pidfd) {
    /** {@code /proc/PID/ns/<kind>}, e.g. for {@code slirp4netns --netns-type=path}. */
    public String namespacePath(String kind) {
        return "/proc/" + pid + "/ns/" + kind;
    }
}
