package dev.jbox.launch;

import dev.jbox.plan.ExecPlan;
import dev.jbox.plan.IdMapping;
import dev.jbox.plan.LaunchPlan;
import dev.jbox.plan.Step;
import dev.jbox.spec.UserNamespaceMode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

import static org.junit.jupiter.api.Assertions.*;

class ProcSelfGuardTest {
    static final ExecPlan EXEC = new ExecPlan(List.of("/bin/true"), List.of("true"), List.of());

    static LaunchPlan plan(UserNamespaceMode mode, Step... steps) {
        return new LaunchPlan(0, new IdMapping(mode, 1000, 1000, 0, 0), List.of(steps), EXEC);
    }

    @Test
    void childrenWritingTheirMapsShareTheLockAnIdSwitchHoldsItAlone() throws Exception {
        Lock reader = ProcSelfGuard.lockFor(plan(UserNamespaceMode.SINGLE), true);
        Lock switcher = ProcSelfGuard.lockFor(plan(UserNamespaceMode.AUTO, new Step.SetIds(5, 5)), false);
        assertNull(ProcSelfGuard.lockFor(plan(UserNamespaceMode.SINGLE), false), "the parent writes the maps (with retries): no lock");
        assertNull(ProcSelfGuard.lockFor(plan(UserNamespaceMode.AUTO), false), "--userns=auto as root inside switches no ids");
        reader.lock();
        try {
            Lock second = ProcSelfGuard.lockFor(plan(UserNamespaceMode.SINGLE), true);
            assertTrue(onAnotherThread(() -> tryLockBriefly(second)), "launches whose children write their maps run side by side");
            assertFalse(onAnotherThread(() -> tryLockBriefly(switcher)), "an id switch waits for children writing their maps");
        } finally {
            reader.unlock();
        }
        assertTrue(onAnotherThread(() -> tryLockBriefly(switcher)));
    }

    private static boolean onAnotherThread(java.util.concurrent.Callable<Boolean> task) throws Exception {
        java.util.concurrent.FutureTask<Boolean> f = new java.util.concurrent.FutureTask<>(task);
        Thread.ofPlatform().start(f);
        return f.get(5, TimeUnit.SECONDS);
    }

    private static boolean tryLockBriefly(Lock lock) {
        try {
            boolean got = lock.tryLock(50, TimeUnit.MILLISECONDS);
            if (got) lock.unlock();
            return got;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
