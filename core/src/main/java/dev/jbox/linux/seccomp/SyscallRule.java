package dev.jbox.linux.seccomp;

import java.util.List;

/**
 * What to do with one system call, by name, when all {@code conditions} hold (none: always).
 *
 * @param origin where the rule came from, for messages: {@code syscalls[3]}, {@code default profile}
 */
public record SyscallRule(String name, Action action, List<ArgCondition> conditions, String origin) {
    public SyscallRule {
        conditions = List.copyOf(conditions);
    }

    public boolean unconditional() {
        return conditions.isEmpty();
    }

    /** Whether every condition holds for {@code args} (six values). */
    public boolean matches(long[] args) {
        for (ArgCondition c : conditions) {
            if (!c.test(args)) return false;
        }
        return true;
    }
}
