package dev.jbox.plugin.cgroup;

import dev.jbox.JboxException;
import dev.jbox.spec.Limits;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each flag's cgroup file, value and unit property. */
class LimitPlanTest {
    private static final long MIB = 1 << 20;

    private static List<String> files(LimitPlan plan) {
        return plan.settings().stream().map(s -> s.file() + "=" + s.fileValue()).toList();
    }

    private static List<String> properties(LimitPlan plan) {
        return plan.settings().stream().map(s -> s.property().toString()).toList();
    }

    @Test
    void memoryAlsoLimitsSwapToTheSameAmountOptionally() {
        LimitPlan plan = LimitPlan.compile(new Limits(Limits.parseSize("--memory", "64m"), null, null, null, null, null));
        assertEquals(List.of("memory.max=67108864", "memory.swap.max=67108864"), files(plan));
        assertEquals(List.of("MemoryMax=67108864", "MemorySwapMax=67108864"), properties(plan));
        assertEquals(List.of(false, true), plan.settings().stream().map(LimitPlan.Setting::optional).toList());
        assertEquals(67108864L, plan.memoryMax());
        assertEquals(EnumSet.of(Controller.MEMORY), plan.controllers());
    }

    @Test
    void memorySwapIsMemoryPlusSwap() {
        LimitPlan plan = LimitPlan.compile(new Limits(64 * MIB, 100 * MIB, null, null, null, null));
        assertEquals(List.of("memory.max=67108864", "memory.swap.max=37748736"), files(plan));
        assertEquals(List.of("MemoryMax=67108864", "MemorySwapMax=37748736"), properties(plan));
        assertTrue(plan.settings().stream().noneMatch(LimitPlan.Setting::optional));
        assertEquals("--memory, --memory-swap", plan.flags());
    }

    @Test
    void memorySwapEqualToMemoryMeansNoSwap() {
        LimitPlan plan = LimitPlan.compile(new Limits(64 * MIB, 64 * MIB, null, null, null, null));
        assertEquals(List.of("memory.max=67108864", "memory.swap.max=0"), files(plan));
    }

    @Test
    void memorySwapMinusOneIsUnlimited() {
        LimitPlan plan = LimitPlan.compile(new Limits(64 * MIB, -1L, null, null, null, null));
        assertEquals(List.of("memory.max=67108864", "memory.swap.max=max"), files(plan));
        assertEquals(List.of("MemoryMax=67108864", "MemorySwapMax=infinity"), properties(plan));
        assertEquals(new UnitProperty.U64(-1), plan.settings().get(1).property().value());
    }

    @Test
    void memorySwapWithoutMemoryIsRefused() {
        JboxException e = assertThrows(JboxException.class, () -> LimitPlan.compile(new Limits(null, 64 * MIB, null, null, null, null)));
        assertEquals("--memory-swap needs --memory: it limits memory and swap together", e.getMessage());
    }

    @Test
    void memorySwapBelowMemoryIsRefused() {
        JboxException e = assertThrows(JboxException.class, () -> LimitPlan.compile(new Limits(64 * MIB, 32 * MIB, null, null, null, null)));
        assertEquals("--memory-swap 32 MiB is less than --memory 64 MiB: it limits memory and swap together", e.getMessage());
    }

    @Test
    void cpusBecomeAQuotaPerPeriodAndPerSecond() {
        LimitPlan plan = LimitPlan.compile(new Limits(null, null, 0.5, null, null, null));
        assertEquals(List.of("cpu.max=50000 100000"), files(plan));
        assertEquals(List.of("CPUQuotaPerSecUSec=500000"), properties(plan));
        assertEquals(List.of("cpu.max=250000 100000"), files(LimitPlan.compile(new Limits(null, null, 2.5, null, null, null))));
    }

    @Test
    void cpusBelowTheKernelMinimumAreRefused() {
        JboxException e = assertThrows(JboxException.class, () -> LimitPlan.compile(new Limits(null, null, 0.001, null, null, null)));
        assertTrue(e.getMessage().startsWith("--cpus 0.001 is below the kernel's minimum quota of 0.01 CPUs"), e.getMessage());
    }

    @Test
    void pidsAndWeights() {
        LimitPlan plan = LimitPlan.compile(new Limits(null, null, null, 50L, 200, 300));
        assertEquals(List.of("cpu.weight=200", "pids.max=50", "io.weight=default 300"), files(plan));
        assertEquals(List.of("CPUWeight=200", "TasksMax=50", "IOWeight=300"), properties(plan));
        assertEquals(EnumSet.of(Controller.CPU, Controller.IO, Controller.PIDS), plan.controllers());
        assertEquals("--cpu-weight, --pids-limit, --io-weight", plan.flags());
    }

    @Test
    void unitPropertiesStartWithPlacementAndDelegationThenAccountingThenLimits() {
        LimitPlan plan = LimitPlan.compile(new Limits(64 * MIB, null, null, 50L, null, null));
        List<UnitProperty> props = plan.unitProperties("jbox sandbox x", "jbox-x.slice", 77);
        assertEquals(List.of("Description=jbox sandbox x", "Slice=jbox-x.slice", "PIDs=[77]", "Delegate=true", "DefaultDependencies=false",
                "MemoryAccounting=true", "TasksAccounting=true", "MemoryMax=67108864", "MemorySwapMax=67108864", "TasksMax=50"),
                props.stream().map(UnitProperty::toString).toList());
        assertEquals(List.of("MemoryAccounting", "TasksAccounting", "MemorySwapMax"),
                props.stream().filter(UnitProperty::optional).map(UnitProperty::name).toList());
        assertEquals(List.of("s", "s", "au", "b", "b", "b", "b", "t", "t", "t"), props.stream().map(p -> p.value().signature()).toList());
    }

    @Test
    void sizesForPeople() {
        assertEquals("64 MiB", Sizes.human(64 * MIB));
        assertEquals("1.5 GiB", Sizes.human(3L << 29));
        assertEquals("512 bytes", Sizes.human(512));
        assertEquals("1000 KiB", Sizes.human(1_024_000));
        assertEquals("1.2 MiB", Sizes.human(1_250_000));
    }
}
