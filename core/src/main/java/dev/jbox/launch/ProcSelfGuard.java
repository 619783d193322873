package dev.jbox.launch;

import dev.jbox.plan.LaunchPlan;
import dev.jbox.plan.Step;

import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Keeps children that write their own /proc/self id maps apart from chains that switch ids. The
 * children share the JVM's mm (CLONE_VM); a chain changing its uid makes that mm non-dumpable
 * until its next link restores it, and meanwhile the /proc/PID files of every process on it are
 * root's: a child opening its uid_map then fails with EACCES. The former share the lock, the
 * latter (only --userns=auto with another user) hold it alone, each from clone until clone returns.
 */
final class ProcSelfGuard {
    private ProcSelfGuard() {}

    /** Fair: a waiting id switch is not starved by a stream of launches. */
    private static final ReentrantReadWriteLock LOCK = new ReentrantReadWriteLock(true);

    /** The lock to hold around clone for this launch, or null when it needs none. */
    static Lock lockFor(LaunchPlan plan, boolean childWritesMaps) {
        if (plan.steps().stream().anyMatch(s -> s instanceof Step.SetIds)) return LOCK.writeLock();
        return childWritesMaps ? LOCK.readLock() : null;
    }
}
