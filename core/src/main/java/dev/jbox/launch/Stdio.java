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
    private static final int F_GETFD = 1;

    final int childIn, childOut, childErr;
    final OutputStream parentIn;
    final InputStream parentOut, parentErr;
    private final List<Integer> childOwned;

    private Stdio(int[] child, OutputStream parentIn, InputStream parentOut, InputStream parentErr, List<Integer> childOwned) {
        this.childIn = child[0];
        this.childOut = child[1];
        this.childErr = child[2];
        this.parentIn = parentIn;
        this.parentOut = parentOut;
        this.parentErr = parentErr;
        this.childOwned = childOwned;
    }

    static Stdio open(Redirect in, Redirect out, Redirect err) {
        List<Integer> owned = new ArrayList<>();
        int[] child = new int[3];
        OutputStream pIn = OutputStream.nullOutputStream();
        InputStream pOut = InputStream.nullInputStream(), pErr = InputStream.nullInputStream();
        try {
            if (in.type() == Redirect.Type.PIPE) {
                int[] p = Linux.pipe2(Linux.O_CLOEXEC);
                child[0] = p[0];
                owned.add(p[0]);
                pIn = FdStreams.output(p[1]);
            } else {
                child[0] = source(in, 0, owned);
            }
            if (out.type() == Redirect.Type.PIPE) {
                int[] p = Linux.pipe2(Linux.O_CLOEXEC);
                child[1] = p[1];
                owned.add(p[1]);
                pOut = FdStreams.input(p[0]);
            } else {
                child[1] = source(out, 1, owned);
            }
            if (err.type() == Redirect.Type.PIPE) {
                int[] p = Linux.pipe2(Linux.O_CLOEXEC);
                child[2] = p[1];
                owned.add(p[1]);
                pErr = FdStreams.input(p[0]);
            } else {
                child[2] = source(err, 2, owned);
            }
        } catch (RuntimeException e) {
            owned.forEach(Linux::close);
            throw e;
        }
        return new Stdio(child, pIn, pOut, pErr, owned);
    }

    /** The fd the child takes for a non-PIPE redirect. */
    private static int source(Redirect r, int stdFd, List<Integer> owned) {
        int fd = switch (r.type()) {
            case INHERIT -> isOpen(stdFd) ? stdFd : openFile("/dev/null", Linux.O_RDWR);
            case READ -> openFile(r.file().getPath(), Linux.O_RDONLY);
            case WRITE -> openFile(r.file().getPath(), Linux.O_WRONLY | Linux.O_CREAT | Linux.O_TRUNC);
            case APPEND -> openFile(r.file().getPath(), Linux.O_WRONLY | Linux.O_CREAT | Linux.O_APPEND);
            case PIPE -> throw new IllegalArgumentException("PIPE is handled by the caller");
        };
        if (fd != stdFd) owned.add(fd);
        return fd;
    }

    private static boolean isOpen(int fd) {
        return Syscall.callOrErrno(Sys.FCNTL, fd, F_GETFD) >= 0;
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
