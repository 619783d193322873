package dev.jbox.plugin.cgroup;

import dev.jbox.JboxException;
import dev.jbox.spec.Limits;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The requested limits compiled into what both backends apply: per limit, the cgroup v2 file and
 * value (cgroupfs) and the unit property (systemd). Pure, so each flag's effect is unit-tested.
 *
 * <p>{@code --memory-swap} follows docker and podman: it is memory and swap together, -1 for
 * unlimited swap; without it, a sandbox may swap as much as {@code --memory} (total twice
 * {@code --memory}). That implied swap limit is optional: a kernel without swap accounting has no
 * {@code memory.swap.max}, and then there is no swap limit to set (jbox warns).
 *
 * @param memoryMax the {@code --memory} limit in bytes, or null
 */
public record LimitPlan(List<Setting> settings, Long memoryMax) {
    /** The kernel's period for {@code cpu.max} quotas, µs (systemd uses the same). */
    static final long CPU_PERIOD_USEC = 100_000;
    /** The kernel refuses quotas below 1 ms per period. */
    static final double MIN_CPUS = 0.01;

    /**
     * One limit: {@code file} gets {@code fileValue} in the sandbox's cgroup; {@code property} is the
     * same limit for systemd. {@code flag} names the option it came from, for messages.
     */
    public record Setting(String flag, Controller controller, String file, String fileValue, UnitProperty property) {
        public boolean optional() { return property.optional(); }
    }

    public LimitPlan {
        settings = List.copyOf(settings);
    }

    public static LimitPlan compile(Limits limits) {
        List<Setting> out = new ArrayList<>();
        if (limits.memoryBytes() != null) {
            long memory = limits.memoryBytes();
            out.add(new Setting("--memory", Controller.MEMORY, "memory.max", Long.toString(memory),
                    UnitProperty.required("MemoryMax", new UnitProperty.U64(memory))));
        }
        swapSetting(limits).ifPresent(out::add);
        if (limits.cpus() != null) {
            double cpus = limits.cpus();
            if (cpus < MIN_CPUS) {
                throw new JboxException("--cpus " + cpus + " is below the kernel's minimum quota of " + MIN_CPUS + " CPUs",
                        "use --cpus " + MIN_CPUS + " or more, or --cpu-weight for a relative share");
            }
            long quota = Math.round(cpus * CPU_PERIOD_USEC);
            out.add(new Setting("--cpus", Controller.CPU, "cpu.max", quota + " " + CPU_PERIOD_USEC,
                    UnitProperty.required("CPUQuotaPerSecUSec", new UnitProperty.U64(Math.round(cpus * 1_000_000)))));
        }
        if (limits.cpuWeight() != null) {
            out.add(new Setting("--cpu-weight", Controller.CPU, "cpu.weight", limits.cpuWeight().toString(),
                    UnitProperty.required("CPUWeight", new UnitProperty.U64(limits.cpuWeight()))));
        }
        if (limits.pidsLimit() != null) {
            out.add(new Setting("--pids-limit", Controller.PIDS, "pids.max", limits.pidsLimit().toString(),
                    UnitProperty.required("TasksMax", new UnitProperty.U64(limits.pidsLimit()))));
        }
        if (limits.ioWeight() != null) {
            out.add(new Setting("--io-weight", Controller.IO, "io.weight", "default " + limits.ioWeight(),
                    UnitProperty.required("IOWeight", new UnitProperty.U64(limits.ioWeight()))));
        }
        return new LimitPlan(out, limits.memoryBytes());
    }

    private static Optional<Setting> swapSetting(Limits limits) {
        Long memory = limits.memoryBytes();
        Long total = limits.memorySwapBytes();
        if (total == null) {
            if (memory == null) return Optional.empty();
            return Optional.of(new Setting("--memory", Controller.MEMORY, "memory.swap.max", Long.toString(memory),
                    UnitProperty.optional("MemorySwapMax", new UnitProperty.U64(memory))));
        }
        if (memory == null) {
            throw new JboxException("--memory-swap needs --memory: it limits memory and swap together",
                    "add --memory, e.g. --memory 512m --memory-swap 1g");
        }
        if (total == -1) {
            return Optional.of(new Setting("--memory-swap", Controller.MEMORY, "memory.swap.max", "max",
                    UnitProperty.required("MemorySwapMax", UnitProperty.U64.INFINITY)));
        }
        if (total < memory) {
            throw new JboxException("--memory-swap " + Sizes.human(total) + " is less than --memory " + Sizes.human(memory)
                    + ": it limits memory and swap together", "give --memory-swap at least --memory (equal means no swap), or -1 for unlimited swap");
        }
        long swap = total - memory;
        return Optional.of(new Setting("--memory-swap", Controller.MEMORY, "memory.swap.max", Long.toString(swap),
                UnitProperty.required("MemorySwapMax", new UnitProperty.U64(swap))));
    }

    /** The controllers the sandbox's cgroup needs, in a fixed order. */
    public Set<Controller> controllers() {
        Set<Controller> needed = EnumSet.noneOf(Controller.class);
        for (Setting s : settings) needed.add(s.controller());
        return needed;
    }

    /** The options that asked for limits, for messages: "--memory, --cpus". */
    public String flags() {
        Set<String> flags = new LinkedHashSet<>();
        for (Setting s : settings) flags.add(s.flag());
        return String.join(", ", flags);
    }

    /**
     * Everything {@code StartTransientUnit} gets for the sandbox's scope: its own slice, the pid to
     * move, delegation, no implicit dependencies (a scope that outlives nothing), accounting for each
     * needed controller, and the limits.
     */
    public List<UnitProperty> unitProperties(String description, String slice, int pid) {
        List<UnitProperty> props = new ArrayList<>();
        props.add(UnitProperty.required("Description", new UnitProperty.Text(description)));
        props.add(UnitProperty.required("Slice", new UnitProperty.Text(slice)));
        props.add(UnitProperty.required("PIDs", new UnitProperty.U32Array(List.of(pid))));
        props.add(UnitProperty.required("Delegate", new UnitProperty.Bool(true)));
        props.add(UnitProperty.required("DefaultDependencies", new UnitProperty.Bool(false)));
        for (Controller c : controllers()) props.add(UnitProperty.optional(c.accountingProperty, new UnitProperty.Bool(true)));
        for (Setting s : settings) props.add(s.property());
        return props;
    }
}
