package dev.jbox.plan;

import java.util.List;

/**
 * Everything the sandbox's first process will do, in order, as data: the namespaces it is cloned
 * into, how ids are mapped, the setup steps, and what it finally executes.
 *
 * @param ids null when the process gets no user namespace of its own (a helper that joins a
 *            sandbox's): there is nothing to map
 */
public record LaunchPlan(int cloneFlags, IdMapping ids, List<Step> steps, ExecPlan exec) {
    public LaunchPlan {
        steps = List.copyOf(steps);
    }

    /** The numbered listing {@code jbox run --dry-run} prints. */
    public String render() {
        StringBuilder out = new StringBuilder();
        out.append("clone: ").append(cloneFlags == 0 ? "no new" : dev.jbox.linux.CloneFlags.namespaces(cloneFlags)).append(" namespaces\n");
        if (ids != null) out.append("id maps: ").append(ids.describe()).append('\n');
        int n = 1;
        for (Step step : steps) out.append(String.format("%3d. %s%n", n++, step.describe()));
        out.append(String.format("%3d. %s%n", n, exec.describe()));
        return out.toString();
    }
}
