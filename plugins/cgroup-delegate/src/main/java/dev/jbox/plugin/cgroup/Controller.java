package dev.jbox.plugin.cgroup;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The cgroup v2 controllers jbox's limits need, with the systemd switch that turns each one on for a unit. */
public enum Controller {
    MEMORY("memory", "memory", "MemoryAccounting"),
    CPU("cpu", "cpu", "CPUAccounting"),
    IO("io", "blkio", "IOAccounting"),
    PIDS("pids", "pids", "TasksAccounting");

    /** The name in {@code cgroup.controllers} and {@code cgroup.subtree_control}. */
    public final String kernelName;
    /** The same controller's name as a cgroup v1 mount option (io was "blkio"). */
    public final String v1Name;
    /** The unit property that enables the controller for a systemd unit. */
    public final String accountingProperty;

    Controller(String kernelName, String v1Name, String accountingProperty) {
        this.kernelName = kernelName;
        this.v1Name = v1Name;
        this.accountingProperty = accountingProperty;
    }

    /** The controllers of {@code wanted} missing from a {@code cgroup.controllers}-style set of names. */
    static Set<Controller> missing(Collection<Controller> wanted, Set<String> available) {
        return wanted.stream().filter(c -> !available.contains(c.kernelName))
                .collect(Collectors.toCollection(() -> java.util.EnumSet.noneOf(Controller.class)));
    }

    /** "cpu, io", for messages. */
    static String names(Collection<Controller> controllers) {
        return controllers.stream().map(c -> c.kernelName).collect(Collectors.joining(", "));
    }

    /** Parses the content of {@code cgroup.controllers} or {@code cgroup.subtree_control} ("cpu io memory pids"). */
    static Set<String> parseList(String text) {
        Set<String> names = new TreeSet<>();
        for (String word : text.trim().split("\\s+")) if (!word.isEmpty()) names.add(word);
        return names;
    }
}
