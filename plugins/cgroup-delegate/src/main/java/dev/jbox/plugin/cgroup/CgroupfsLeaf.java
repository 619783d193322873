package dev.jbox.plugin.cgroup;

import dev.jbox.JboxException;
import dev.jbox.spi.ChildProcess;
import dev.jbox.spi.ExitStatus;
import dev.jbox.spi.LaunchHooks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The cgroupfs backend: a leaf cgroup of a delegated subtree, made and limited before the child
 * exists (a failure starts nothing), joined by the child at the first sync point, removed after.
 */
final class CgroupfsLeaf implements LaunchHooks {
    private static final int RMDIR_ATTEMPTS = 20;
    private static final long RMDIR_PAUSE_MS = 10;

    private final Host host;
    private final Path leaf;
    private final LimitPlan plan;
    private long oomKills;
    private ExitStatus status;

    private CgroupfsLeaf(Host host, Path leaf, LimitPlan plan) {
        this.host = host;
        this.leaf = leaf;
        this.plan = plan;
    }

    /**
     * Moves jbox to {@code supervisor} if given, enables {@code enable} in {@code parent}, creates
     * {@code parent/name} and writes every limit.
     */
    static CgroupfsLeaf create(Host host, Path parent, String name, Set<Controller> enable, Optional<Path> supervisor, LimitPlan plan) {
        CgroupFs fs = host.fs();
        if (supervisor.isPresent()) {
            if (!fs.exists(supervisor.get())) mkdir(fs, supervisor.get(), plan);
            write(fs, supervisor.get().resolve("cgroup.procs"), Long.toString(host.selfPid()), plan.flags(), "moving jbox (pid " + host.selfPid() + ") out of the way");
        }
        if (!enable.isEmpty()) {
            String change = enable.stream().sorted().map(c -> "+" + c.kernelName).collect(Collectors.joining(" "));
            write(fs, parent.resolve("cgroup.subtree_control"), change, plan.flags(), "enabling controllers");
        }
        Path leaf = parent.resolve(name);
        mkdir(fs, leaf, plan);
        CgroupfsLeaf created = new CgroupfsLeaf(host, leaf, plan);
        try {
            created.writeLimits();
        } catch (RuntimeException e) {
            created.close();
            throw e;
        }
        return created;
    }

    private static void mkdir(CgroupFs fs, Path cgroup, LimitPlan plan) {
        try {
            fs.mkdir(cgroup);
        } catch (IOException e) {
            throw new JboxException("cannot apply " + plan.flags() + ": creating cgroup " + cgroup + ": " + IoErrors.describe(e),
                    "is the cgroup delegated to you? use --cgroup-manager=systemd otherwise");
        }
    }

    private void writeLimits() {
        for (LimitPlan.Setting s : plan.settings()) {
            Path file = leaf.resolve(s.file());
            if (!host.fs().exists(file)) {
                if (s.optional()) {
                    host.warn(leaf + " has no " + s.file() + " (the kernel does not account it); continuing without that limit");
                    continue;
                }
                throw new JboxException("cannot apply " + s.flag() + ": " + leaf + " has no " + s.file()
                        + " (the " + s.controller().kernelName + " controller is not enabled there)", "check cgroup.subtree_control of " + leaf.getParent());
            }
            write(host.fs(), file, s.fileValue(), s.flag(), "setting the limit");
        }
    }

    private static void write(CgroupFs fs, Path file, String value, String flags, String doing) {
        try {
            fs.write(file, value);
        } catch (IOException e) {
            throw new JboxException("cannot apply " + flags + ": " + doing + ": writing \"" + value + "\" to " + file + ": " + IoErrors.describe(e),
                    "is the cgroup delegated to you? use --cgroup-manager=systemd otherwise");
        }
    }

    /** The child waits at the first sync point: move it, and everything it will start, into the leaf. */
    @Override
    public void childCreated(ChildProcess child) {
        write(host.fs(), leaf.resolve("cgroup.procs"), Integer.toString(child.pid()), plan.flags(), "placing pid " + child.pid());
    }

    @Override
    public void exited(ExitStatus status) {
        this.status = status;
        OptionalLong kills = new CgroupReader(host.fs(), leaf).oomKills();
        oomKills = kills.orElse(0);
    }

    @Override
    public Optional<String> exitNote() {
        return OomNote.of(oomKills, status, plan.memoryMax());
    }

    /**
     * Removes the leaf. The sandbox's processes are gone once its pid 1 is reaped, but the kernel may
     * report the cgroup busy for a moment longer, so a few short retries.
     */
    @Override
    public void close() {
        IOException last = null;
        for (int attempt = 0; attempt < RMDIR_ATTEMPTS; attempt++) {
            try {
                host.fs().rmdir(leaf);
                return;
            } catch (IOException e) {
                if (!host.fs().exists(leaf)) return;
                last = e;
                try {
                    Thread.sleep(RMDIR_PAUSE_MS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        host.warn("could not remove cgroup " + leaf + ": " + (last == null ? "interrupted" : IoErrors.describe(last)));
    }
}
