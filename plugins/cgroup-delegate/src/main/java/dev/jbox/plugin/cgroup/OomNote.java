package dev.jbox.plugin.cgroup;

import dev.jbox.spi.ExitStatus;

import java.util.Optional;

/** The line jbox prints when the memory limit killed something: "killed: out of memory, limit 64 MiB". */
final class OomNote {
    private static final int SIGKILL = 9;

    private OomNote() {}

    /** {@code memoryLimit}: the {@code --memory} limit, null when none was set (then the OOM killer was not ours). */
    static Optional<String> of(long oomKills, ExitStatus status, Long memoryLimit) {
        if (oomKills <= 0 || status == null || memoryLimit == null) return Optional.empty();
        String limit = "limit " + Sizes.human(memoryLimit);
        if (status.signal() == SIGKILL) return Optional.of("killed: out of memory, " + limit);
        String who = oomKills == 1 ? "a process" : oomKills + " processes";
        return Optional.of(who + " in the sandbox killed: out of memory, " + limit);
    }
}
