package dev.jbox.launch;

import dev.jbox.JboxException;
import dev.jbox.linux.Linux;
import dev.jbox.linux.Sys;
import dev.jbox.linux.Syscall;
import dev.jbox.linux.SyscallException;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.util.ArrayList;
import java.util.List;

/**
 * The sandbox's stdin, stdout and stderr: the fds the child takes (moved to 0-2 by the chain) and
 * the parent's ends for PIPE redirects, as {@link ProcessBuilder.Redirect} describes them.
 */
final class Stdio implements AutoCloseable {
    final int childIn, childOut, childErr;
    final OutputStream parentIn;
    final InputStream parentOut, parentErr;
    /** The pty master for a terminal sandbox, else -1 (owned by the streams above). */
    final int terminal;
    private final List<Integer> childOwned;

    private Stdio(int[] child, OutputStream parentIn, InputStream parentOut, InputStream parentErr, List<Integer> childOwned) {
        this(child, parentIn, parentOut, parentErr, childOwned, -1);
    }

    private Stdio(int[] child, OutputStream parentIn, InputStream parentOut, InputStream parentErr, List<Integer> childOwned, int terminal) {
        this.childIn = child[0];
        this.childOut = child[1];
        this.childErr = child[2];
        this.parentIn = parentIn;
        this.parentOut = parentOut;
        this.parentErr = parentErr;
        this.childOwned = childOwned;
        this.terminal = terminal;
    }

    private static final int F_DUPFD_CLOEXEC = 1030;

    /**
     * The same stdio, now also a terminal: the chain made the sandbox's own pty its stdout and
     * stderr (and stdin unless that was /dev/null); the process's streams read and write its master.
     */
    Stdio withTerminal(int master) {
        int writer = (int) Syscall.call(Sys.FCNTL, "pty master", master, F_DUPFD_CLOEXEC, 0);
        return new Stdio(new int[] {childIn, childOut, childErr}, FdStreams.output(writer), FdStreams.input(master),
                InputStream.nullInputStream(), childOwned, master);
    }

    static Stdio open(Redirect in, Redirect out, Redirect err) {
        Redirect[] redirects = {in, out, err};
        List<Integer> owned = new ArrayList<>();
        int[] child = new int[3];
        int[] parent = {-1, -1, -1};
        try {
            for (int fd = 0; fd < 3; fd++) {
                if (redirects[fd].type() != Redirect.Type.PIPE) {
                    child[fd] = source(redirects[fd], fd, owned);
                    continue;
                }
                int[] pipe = Linux.pipe2(Linux.O_CLOEXEC);  // [0] read end, [1] write end
                boolean childReads = fd == 0;
                child[fd] = childReads ? pipe[0] : pipe[1];
                parent[fd] = childReads ? pipe[1] : pipe[0];
                owned.add(child[fd]);
            }
        } catch (RuntimeException e) {
            owned.forEach(Linux::close);
            for (int p : parent) Linux.close(p);
            throw e;
        }
        return new Stdio(child,
                parent[0] < 0 ? OutputStream.nullOutputStream() : FdStreams.output(parent[0]),
                parent[1] < 0 ? InputStream.nullInputStream() : FdStreams.input(parent[1]),
                parent[2] < 0 ? InputStream.nullInputStream() : FdStreams.input(parent[2]), owned);
    }

    /** The fd the child takes for a non-PIPE redirect; INHERIT without the caller's stream: /dev/null. */
    private static int source(Redirect r, int stdFd, List<Integer> owned) {
        int fd = switch (r.type()) {
            case INHERIT -> CallerStdio.passed(stdFd) ? stdFd : openFile("/dev/null", Linux.O_RDWR);
            case READ -> openFile(r.file().getPath(), Linux.O_RDONLY);
            case WRITE -> openFile(r.file().getPath(), Linux.O_WRONLY | Linux.O_CREAT | Linux.O_TRUNC);
            case APPEND -> openFile(r.file().getPath(), Linux.O_WRONLY | Linux.O_CREAT | Linux.O_APPEND);
            case PIPE -> throw new IllegalArgumentException("PIPE is handled by the caller");
        };
        if (fd != stdFd) owned.add(fd);
        return fd;
    }

    private static int openFile(String path, int flags) {
        try {
            return Linux.openat(Linux.AT_FDCWD, path, flags | Linux.O_CLOEXEC, 0666);
        } catch (SyscallException e) {
            throw new JboxException("opening " + path + " for the sandbox's stdio: " + e.errnoValue(), "check the redirect's path");
        }
    }

    /** Closes the fds only the child needed; called once the child has exec'd or died. */
    @Override
    public void close() {
        childOwned.forEach(Linux::close);
        childOwned.clear();
    }

    /** Also closes the parent's ends (when the launch failed). */
    void closeAll() throws java.io.IOException {
        close();
        parentIn.close();
        parentOut.close();
        parentErr.close();
    }
}
