package dev.jbox.plugin.cgroup;

import dev.jbox.JboxException;
import dev.jbox.spi.ChildProcess;
import dev.jbox.spi.ExitStatus;
import dev.jbox.spi.LaunchHooks;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The systemd backend: at the first sync point, asks the user manager for a transient scope
 * holding the child ({@code PIDs}), delegated and limited; waits for its start job; checks that the
 * scope really got every controller the limits need; stops and forgets the scope on close.
 *
 * <p>The scope gets a slice of its own, {@code jbox-<id>.slice}: systemd removes a scope's cgroup
 * the moment its last process exits, usually before jbox has reaped the workload, while the slice
 * stays until jbox stops it, and its {@code memory.events} (hierarchical) still counts the OOM kills.
 */
final class SystemdScope implements LaunchHooks {
    /** systemd's text when a transient unit property is unknown to it (PropertyReadOnly or InvalidArgs). */
    private static final Pattern UNKNOWN_PROPERTY = Pattern.compile("Cannot set property (\\S+), or unknown property");
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final SystemdBus bus;
    private final Host host;
    private final LimitPlan plan;
    private final CgroupLayout.Mount mount;
    private final String unit;
    private final String slice;
    private final String description;
    private boolean startRequested;
    private Path scopeDir;
    private long oomKills;
    private ExitStatus status;

    SystemdScope(SystemdBus bus, Host host, LimitPlan plan, CgroupLayout.Mount mount, String sandboxId, String description) {
        this.bus = bus;
        this.host = host;
        this.plan = plan;
        this.mount = mount;
        this.unit = "jbox-" + sandboxId + ".scope";
        this.slice = "jbox-" + sandboxId + ".slice";
        this.description = description;
    }

    @Override
    public void childCreated(ChildProcess child) throws DBusException, InterruptedException {
        bus.watchJobs();
        startRequested = true;
        DBusPath job = start(new ArrayList<>(plan.unitProperties(description, slice, child.pid())));
        String result;
        try {
            result = bus.awaitJob(job, host.jobTimeout());
        } catch (TimeoutException e) {
            throw new JboxException("cannot apply " + plan.flags() + ": systemd did not finish starting " + unit + " within "
                    + host.jobTimeout().toSeconds() + " s", "is the user manager busy or hung? systemctl --user status");
        }
        if (!result.equals("done")) {
            throw new JboxException("cannot apply " + plan.flags() + ": systemd could not start " + unit + " (job result: " + result + ")",
                    "journalctl --user -u " + unit);
        }
        scopeDir = verifyPlacement(child.pid());
    }

    /** StartTransientUnit, dropping optional properties this systemd does not know, one at a time. */
    private DBusPath start(List<UnitProperty> properties) {
        while (true) {
            try {
                return bus.startTransientUnit(unit, properties);
            } catch (DBusExecutionException e) {
                UnitProperty rejected = unknownProperty(e.getMessage(), properties)
                        .orElseThrow(() -> new JboxException("cannot apply " + plan.flags() + ": systemd refused to start " + unit + ": " + e.getMessage(),
                                "systemctl --user status; journalctl --user -u " + unit));
                if (!rejected.optional()) {
                    throw new JboxException("cannot apply " + flagOf(rejected) + ": this systemd does not support the unit property "
                            + rejected.name() + " (" + e.getMessage() + ")",
                            "a newer systemd supports it; or use --cgroup-manager=cgroupfs, or run without " + flagOf(rejected));
                }
                host.warn("systemd does not know the unit property " + rejected.name() + "; starting " + unit + " without it");
                properties.remove(rejected);
            }
        }
    }

    private static Optional<UnitProperty> unknownProperty(String message, List<UnitProperty> sent) {
        if (message == null) return Optional.empty();
        Matcher m = UNKNOWN_PROPERTY.matcher(message);
        if (!m.find()) return Optional.empty();
        return sent.stream().filter(p -> p.name().equals(m.group(1))).findFirst();
    }

    /** The option a property implements, or the property itself for the ones jbox always sends. */
    private String flagOf(UnitProperty property) {
        return plan.settings().stream().filter(s -> s.property().equals(property)).map(LimitPlan.Setting::flag).findFirst()
                .orElse(property.name() + " (needed for every scope)");
    }

    /**
     * systemd accepts limit properties even for controllers it cannot give the unit and then silently
     * does not apply them; so read where the child landed and which controllers that cgroup has.
     */
    private Path verifyPlacement(int pid) {
        String cgroupPath;
        try {
            cgroupPath = CgroupLayout.v2Path(host.fs().read(host.proc(pid + "/cgroup"))).orElse("?");
        } catch (IOException e) {
            throw new JboxException("cannot apply " + plan.flags() + ": reading /proc/" + pid + "/cgroup: " + IoErrors.describe(e));
        }
        if (!cgroupPath.endsWith("/" + slice + "/" + unit)) {
            throw new JboxException("cannot apply " + plan.flags() + ": systemd started " + unit + " but pid " + pid + " is in " + cgroupPath,
                    "journalctl --user -u " + unit);
        }
        Path dir = host.at(mount.pathOf(cgroupPath));
        Set<String> controllers;
        try {
            controllers = Controller.parseList(host.fs().read(dir.resolve("cgroup.controllers")));
        } catch (IOException e) {
            throw new JboxException("cannot apply " + plan.flags() + ": reading " + dir.resolve("cgroup.controllers") + ": " + IoErrors.describe(e));
        }
        Set<Controller> missing = Controller.missing(plan.controllers(), controllers);
        if (!missing.isEmpty()) {
            Choice.Refused why = Diagnosis.notDelegated(missing, controllers);
            throw new JboxException("cannot apply " + plan.flags() + ": " + why.message(), why.hint());
        }
        return dir;
    }

    /** OOM kills, from the scope's cgroup if systemd has not removed it yet, else from the slice's. */
    @Override
    public void exited(ExitStatus status) {
        this.status = status;
        if (plan.memoryMax() == null || scopeDir == null) return;
        oomKills = new CgroupReader(host.fs(), scopeDir).oomKills()
                .orElseGet(() -> new CgroupReader(host.fs(), scopeDir.getParent()).oomKills().orElse(0));
    }

    @Override
    public Optional<String> exitNote() {
        return OomNote.of(oomKills, status, plan.memoryMax());
    }

    /**
     * Stops the scope (killing anything left in it), clears a failed state, and stops the slice, on
     * every path. The scope calls fail harmlessly when systemd already collected it, the normal case.
     */
    @Override
    public void close() {
        try {
            if (!startRequested) return;
            stop(unit);
            try {
                bus.resetFailedUnit(unit);
            } catch (DBusExecutionException notFailed) {
                // Nothing to reset.
            }
            stop(slice);
        } finally {
            bus.close();
        }
    }

    private void stop(String name) {
        try {
            bus.awaitJob(bus.stopUnit(name), STOP_TIMEOUT);
        } catch (DBusExecutionException gone) {
            // "Unit … not loaded.": it is gone already.
        } catch (TimeoutException e) {
            host.warn("systemd did not stop " + name + " within " + STOP_TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
