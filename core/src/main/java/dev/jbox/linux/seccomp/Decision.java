package dev.jbox.linux.seccomp;

import java.util.List;

/** A policy's answer for one system call name, before it becomes BPF. */
public sealed interface Decision {
    /** The action for a call with these six arguments. */
    Action decide(long[] args);

    /** The same action whatever the arguments. */
    record Fixed(Action action) implements Decision {
        public Action decide(long[] args) {
            return action;
        }
    }

    /** The first rule whose conditions hold decides; if none holds, {@code otherwise}. */
    record ByArguments(List<SyscallRule> rules, Action otherwise) implements Decision {
        public ByArguments {
            rules = List.copyOf(rules);
        }

        public Action decide(long[] args) {
            for (SyscallRule rule : rules) {
                if (rule.matches(args)) return rule.action();
            }
            return otherwise;
        }
    }
}
