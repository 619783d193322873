package dev.jbox.plugin.cgroup;

import dev.jbox.JboxException;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.spi.LaunchHooks;
import dev.jbox.spi.ResourceLimiter;
import dev.jbox.spi.ResourceUsage;
import dev.jbox.spi.SandboxContext;
import org.pf4j.Extension;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Applies {@code --memory}, {@code --cpus}, … through cgroup v2: a systemd transient scope when the
 * user manager can give one, else a leaf of a delegated cgroupfs subtree; refuses (exit 125, naming
 * the missing piece and the fix) when neither can apply every requested limit.
 */
@Extension
public final class CgroupDelegateLimiter implements ResourceLimiter {
    private final Host host;

    public CgroupDelegateLimiter() {
        this(Host.real());
    }

    public CgroupDelegateLimiter(Host host) {
        this.host = host;
    }

    @Override
    public LaunchHooks prepare(SandboxContext context) throws IOException {
        SandboxSpec spec = context.spec();
        LimitPlan plan = LimitPlan.compile(spec.limits());
        HostProbe.Result probe = new HostProbe(host).probe(spec.cgroupManager(), plan.controllers());
        Choice choice = Diagnosis.decide(spec.cgroupManager(), plan, probe.facts());
        if (!(choice instanceof Choice.Systemd)) probe.closeBus();
        return switch (choice) {
            case Choice.Refused r -> throw new JboxException(r.message(), r.hint());
            case Choice.Systemd s -> new SystemdScope(probe.bus(), host, plan, probe.mount().orElseThrow(),
                    context.id(), description(context));
            case Choice.Cgroupfs c -> {
                CgroupLayout.Mount mount = probe.mount().orElseThrow();
                yield CgroupfsLeaf.create(host, host.at(mount.pathOf(c.parent())), "jbox-" + context.id(), c.enable(),
                        c.supervisor().map(s -> host.at(mount.pathOf(s))), plan);
            }
        };
    }

    private static String description(SandboxContext context) {
        String name = context.spec().name() != null ? context.spec().name() : context.id();
        return "jbox sandbox " + name + ": " + String.join(" ", context.spec().command());
    }

    /** Usage of a running sandbox's cgroup, found from its first process; empty if jbox made none for it. */
    @Override
    public Optional<ResourceUsage> usage(int pid) {
        return sandboxCgroup(pid).map(dir -> new CgroupReader(host.fs(), dir).usage());
    }

    /** The cgroup directory of the sandbox whose first process is {@code pid}, if it is one jbox made. */
    public Optional<Path> sandboxCgroup(int pid) {
        try {
            Optional<String> path = CgroupLayout.v2Path(host.fs().read(host.proc(pid + "/cgroup")));
            Optional<CgroupLayout.Mount> mount = CgroupLayout.parse(host.fs().read(host.proc("self/mountinfo"))).unified();
            if (path.isEmpty() || mount.isEmpty()) return Optional.empty();
            String leaf = path.get().substring(path.get().lastIndexOf('/') + 1);
            if (!leaf.startsWith("jbox-")) return Optional.empty();
            return Optional.of(host.at(mount.get().pathOf(path.get())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
