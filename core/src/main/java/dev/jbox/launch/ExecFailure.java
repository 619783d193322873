package dev.jbox.launch;

import dev.jbox.JboxException;
import dev.jbox.linux.Errno;
import dev.jbox.linux.Sys;

import java.util.List;

/**
 * Reads the execve slots after clone returned: if the last candidate ran and failed, nothing was
 * exec'd, and the error is the one execvp(3) would report (EACCES wins over ENOENT).
 */
final class ExecFailure {
    private ExecFailure() {}

    static void check(NativeChain chain) {
        List<Call> calls = chain.program.calls();
        int lastExec = -1;
        for (int i = 0; i < calls.size(); i++) if (calls.get(i).sys() == Sys.EXECVE) lastExec = i;
        if (chain.errnoOf(lastExec) == 0) return;
        int chosen = Errno.ENOENT.number;
        for (int i = 0; i <= lastExec; i++) {
            if (calls.get(i).sys() != Sys.EXECVE) continue;
            int errno = chain.errnoOf(i);
            if (errno == Errno.EACCES.number) chosen = errno;
            else if (errno != 0 && errno != Errno.ENOENT.number && errno != Errno.ENOTDIR.number && chosen != Errno.EACCES.number) chosen = errno;
        }
        throw of(chain.program.exec().command(), chosen);
    }

    static JboxException of(String command, int errno) {
        Errno e = Errno.of(errno);
        String message = "executing " + command + ": " + Errno.nameOf(errno) + (e == null ? "" : " (" + e.message + ")");
        if (errno == Errno.ENOENT.number || errno == Errno.ENOTDIR.number) {
            return new JboxException(message, command.contains("/") ? "no such file inside the sandbox"
                    : "command not found in the sandbox's PATH", JboxException.EXIT_NOT_FOUND, null);
        }
        return new JboxException(message, "the file exists but cannot be executed", JboxException.EXIT_CANNOT_EXECUTE, null);
    }
}
