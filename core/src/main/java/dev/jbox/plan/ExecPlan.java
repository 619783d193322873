package dev.jbox.plan;

import java.util.List;

/**
 * What the chain executes: each candidate path is tried in order, as execvp(3) walks PATH, so
 * the lookup happens inside the sandbox's own view of the filesystem.
 */
public record ExecPlan(List<String> candidates, List<String> argv, List<String> env) {
    public ExecPlan {
        candidates = List.copyOf(candidates);
        argv = List.copyOf(argv);
        env = List.copyOf(env);
        if (candidates.isEmpty()) throw new IllegalArgumentException("no executable candidates for " + argv);
    }

    public String command() { return argv.getFirst(); }

    public String describe() {
        return "executing " + String.join(" ", argv) + (candidates.size() == 1 ? "" : " (searched in PATH)");
    }
}
