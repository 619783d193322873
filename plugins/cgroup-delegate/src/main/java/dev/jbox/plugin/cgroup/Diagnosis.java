package dev.jbox.plugin.cgroup;

import dev.jbox.spec.CgroupManager;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Chooses the backend that can apply every requested limit, or refuses naming the missing piece
 * and its fix. A pure function of {@link HostFacts}: each host situation is a unit test.
 */
public final class Diagnosis {
    /** The leaf jbox moves itself to when it takes its own delegated cgroup for the sandbox's leaf. */
    static final String SUPERVISOR = "jbox-supervisor";
    static final String LAYOUT_HINT = "limits need the unified cgroup v2 hierarchy: boot with systemd.unified_cgroup_hierarchy=1"
            + " (the default since systemd 247), or run without limits";
    static final String DELEGATE_HINT = "an administrator can delegate them: put [Service] Delegate=cpu cpuset io memory pids"
            + " in /etc/systemd/system/user@.service.d/delegate.conf, run systemctl daemon-reload, then log in again";

    private Diagnosis() {}

    public static Choice decide(CgroupManager manager, LimitPlan plan, HostFacts facts) {
        if (manager == CgroupManager.DISABLED) {
            return refuse(plan, new Choice.Refused("--cgroup-manager=disabled turns cgroup handling off", "drop the limits or choose a cgroup manager"));
        }
        Set<Controller> needed = plan.controllers();
        Choice.Refused hostProblem = hostProblem(needed, facts);
        if (hostProblem != null) return refuse(plan, hostProblem);

        Choice.Refused systemdProblem = null;
        if (manager == CgroupManager.AUTO || manager == CgroupManager.SYSTEMD) {
            Choice systemd = systemd(needed, facts.bus());
            if (!(systemd instanceof Choice.Refused r)) return systemd;
            if (manager == CgroupManager.SYSTEMD) return refuse(plan, r);
            systemdProblem = r;
        }
        Choice cgroupfs = cgroupfs(needed, facts.own(), facts.parent());
        if (!(cgroupfs instanceof Choice.Refused cgroupfsProblem)) return cgroupfs;
        if (systemdProblem == null) return refuse(plan, cgroupfsProblem);
        return refuse(plan, new Choice.Refused(systemdProblem.message() + "; and " + cgroupfsProblem.message(),
                joinHints(systemdProblem.hint(), cgroupfsProblem.hint())));
    }

    /** What rules out every backend: no cgroup v2, or the needed controllers held by cgroup v1. */
    private static Choice.Refused hostProblem(Set<Controller> needed, HostFacts facts) {
        CgroupLayout layout = CgroupLayout.parse(facts.mountinfo());
        if (layout.unified().isEmpty()) {
            return new Choice.Refused("this host has no cgroup v2 hierarchy (/proc/self/mountinfo shows only cgroup v1"
                    + (layout.v1Controllers().isEmpty() ? "" : ": " + String.join(", ", layout.v1Controllers().keySet())) + ")",
                    LAYOUT_HINT);
        }
        Map<Controller, String> bound = layout.boundToV1(needed);
        if (!bound.isEmpty()) {
            String where = bound.values().stream().distinct().collect(Collectors.joining(", "));
            return new Choice.Refused("the " + Controller.names(bound.keySet()) + " " + controllers(bound.size())
                    + (bound.size() == 1 ? " is" : " are") + " bound to cgroup v1 (" + where + "), and cgroup v2 at " + layout.unified().get().mountPoint()
                    + " cannot have " + (bound.size() == 1 ? "it" : "them") + ": this host has a hybrid cgroup v1/v2 layout",
                    LAYOUT_HINT);
        }
        if (facts.own() == null) {
            return new Choice.Refused("jbox's process is in no cgroup v2 group (/proc/self/cgroup has no 0:: line)", LAYOUT_HINT);
        }
        return null;
    }

    private static Choice systemd(Set<Controller> needed, BusStatus bus) {
        return switch (bus) {
            case BusStatus.Unavailable u -> new Choice.Refused(u.reason(), u.hint());
            case BusStatus.Available a -> {
                Set<Controller> missing = a.delegated().map(d -> Controller.missing(needed, d)).orElse(Set.of());
                if (missing.isEmpty()) yield new Choice.Systemd(a.address());
                yield notDelegated(missing, a.delegated().get());
            }
        };
    }

    /** The refusal when systemd's user manager lacks controllers, also used after placement. */
    static Choice.Refused notDelegated(Set<Controller> missing, Set<String> available) {
        return new Choice.Refused("the systemd user manager does not delegate the " + Controller.names(missing) + " "
                + controllers(missing.size()) + " to your units (it has: " + describe(available) + ")", DELEGATE_HINT);
    }

    /**
     * A leaf for the sandbox under jbox's own cgroup, which is possible as is only if its controllers
     * are already enabled for children — cgroup v2 lets no cgroup holding processes (jbox is one)
     * enable controllers for children ("no internal processes"); or, when jbox is the only process
     * of its delegated cgroup (`systemd-run --user --scope -p Delegate=yes jbox …`), after jbox moves
     * itself to a supervisor leaf, as systemd's delegation rules ask; else a sibling leaf in the
     * parent, when the parent is delegated to this user and offers the controllers.
     */
    private static Choice cgroupfs(Set<Controller> needed, DirFacts own, DirFacts parent) {
        String ownProblem = leafProblem(needed, own, "jbox's cgroup " + own.path());
        if (ownProblem == null) return new Choice.Cgroupfs(own.path(), enableIn(needed, own));
        if (own.onlySelf() && leafProblem(needed, own.withoutProcesses(), "") == null) {
            return new Choice.Cgroupfs(own.path(), enableIn(needed, own), Optional.of(childOf(own.path(), SUPERVISOR)));
        }
        if (parent == null) return cgroupfsRefused(needed, ownProblem + ", and it has no parent");
        String parentProblem = leafProblem(needed, parent, "its parent " + parent.path());
        if (parentProblem == null) return new Choice.Cgroupfs(parent.path(), enableIn(needed, parent));
        return cgroupfsRefused(needed, ownProblem + "; " + parentProblem);
    }

    private static String childOf(String cgroup, String name) {
        return cgroup.equals("/") ? "/" + name : cgroup + "/" + name;
    }

    /** Why no leaf with {@code needed} can be made under {@code dir}, or null when one can. */
    private static String leafProblem(Set<Controller> needed, DirFacts dir, String name) {
        if (!dir.writable()) return name + " is not delegated to you (not writable)";
        Set<Controller> unavailable = Controller.missing(needed, dir.controllers());
        if (!unavailable.isEmpty()) {
            return name + " does not offer the " + Controller.names(unavailable) + " " + controllers(unavailable.size())
                    + " (cgroup.controllers: " + describe(dir.controllers()) + ")";
        }
        Set<Controller> toEnable = enableIn(needed, dir);
        if (toEnable.isEmpty() || dir.processes() == 0) return null;
        return name + " holds " + dir.processes() + (dir.processes() == 1 ? " process" : " processes")
                + ", so it cannot enable the " + Controller.names(toEnable) + " " + controllers(toEnable.size())
                + " for a child (cgroup v2 allows no processes in a cgroup that does)";
    }

    private static Set<Controller> enableIn(Set<Controller> needed, DirFacts dir) {
        return Controller.missing(needed, dir.subtreeControl());
    }

    private static Choice.Refused cgroupfsRefused(Set<Controller> needed, String why) {
        return new Choice.Refused("no delegated cgroup v2 subtree to create the sandbox's cgroup in: " + why,
                "use --cgroup-manager=systemd, or start jbox in a leaf cgroup whose delegated parent enables "
                        + needed.stream().map(c -> "+" + c.kernelName).collect(Collectors.joining(" ")) + " in cgroup.subtree_control");
    }

    private static Choice.Refused refuse(LimitPlan plan, Choice.Refused why) {
        return new Choice.Refused("cannot apply " + plan.flags() + ": " + why.message(), why.hint());
    }

    private static String joinHints(String first, String second) {
        if (first == null) return second;
        if (second == null) return first;
        return first + "; or " + second;
    }

    private static String controllers(int count) {
        return count == 1 ? "controller" : "controllers";
    }

    private static String describe(Set<String> controllers) {
        return controllers.isEmpty() ? "none" : String.join(" ", new TreeSet<>(controllers));
    }
}
