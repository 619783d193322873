package dev.jbox.state;

import dev.jbox.linux.Errno;
import dev.jbox.linux.Linux;
import dev.jbox.linux.Sys;
import dev.jbox.linux.Syscall;
import dev.jbox.linux.SyscallException;

/**
 * Race-free signalling of a process jbox did not start in this JVM: open a pidfd, then check the
 * start time. If it matches, the pidfd refers to that very process, and a signal through it can
 * never reach a later process that got the same pid.
 */
public final class PidfdSignaller implements Signaller {
    private final ProcFs proc;

    public PidfdSignaller(ProcFs proc) {
        this.proc = proc;
    }

    @Override
    public boolean send(long pid, long startTime, int signal) {
        if (!proc.isRunning(pid, startTime)) return false;
        int pidfd = pidfdOpen(pid);
        if (pidfd < 0) return false;
        try {
            return proc.isRunning(pid, startTime) && Linux.pidfdSendSignal(pidfd, signal);
        } finally {
            Linux.close(pidfd);
        }
    }

    /** int pidfd_open(pid_t pid, unsigned int flags); -1 if there is no such process. */
    private static int pidfdOpen(long pid) {
        long r = Syscall.callOrErrno(Sys.PIDFD_OPEN, pid, 0);
        if (r == -Errno.ESRCH.number) return -1;
        if (r < 0) throw new SyscallException("pidfd_open", "pid " + pid, (int) -r);
        return (int) r;
    }
}
