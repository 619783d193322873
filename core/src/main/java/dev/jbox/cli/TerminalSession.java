package dev.jbox.cli;

import dev.jbox.launch.SandboxProcess;
import dev.jbox.linux.Terminal;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * {@code jbox run -t}: the caller's terminal in raw mode, bytes relayed both ways between it and
 * the sandbox's pseudo-terminal, size changes forwarded. {@link #close()} restores the terminal and
 * runs on every exit path (try-with-resources, and a shutdown hook for System.exit).
 */
final class TerminalSession implements AutoCloseable {
    private static final int STDIN = 0;

    private final SandboxProcess process;
    private final byte[] saved;
    private final Thread output;
    private final Thread restoreOnExit = new Thread(this::restore, "jbox-terminal-restore");

    private TerminalSession(SandboxProcess process, byte[] saved, boolean interactive) {
        this.process = process;
        this.saved = saved;
        output = Thread.ofPlatform().name("jbox-tty-out").start(() -> copy(process.getInputStream(), new FileOutputStream(FileDescriptor.out)));
        if (interactive) Thread.ofPlatform().daemon().name("jbox-tty-in").start(this::relayInput);
        Runtime.getRuntime().addShutdownHook(restoreOnExit);
    }

    static TerminalSession attach(SandboxProcess process, boolean interactive) {
        byte[] saved = Terminal.isTerminal(STDIN) ? Terminal.attributes(STDIN) : null;
        if (saved != null) Terminal.setAttributes(STDIN, Terminal.raw(saved));
        TerminalSession session = new TerminalSession(process, saved, interactive);
        session.resize();
        return session;
    }

    /** Gives the sandbox's terminal the caller's size (on start and on SIGWINCH). */
    void resize() {
        Terminal.Size size = Terminal.size(STDIN);
        if (size != null && process.isAlive()) process.resizeTerminal(size);
    }

    private static final int SIGHUP = 1;
    private static final byte EOT = 4;

    /**
     * Keystrokes to the sandbox. When our input ends (piped input), the sandbox's terminal gets an
     * end-of-file character, as if the user typed Ctrl-D; when our terminal goes away (EIO), the
     * workload gets SIGHUP, as a hung-up terminal would send it.
     */
    private void relayInput() {
        OutputStream toSandbox = process.getOutputStream();
        try {
            if (copy(new FileInputStream(FileDescriptor.in), toSandbox)) {
                toSandbox.write(EOT);
                toSandbox.flush();
            } else {
                process.signal(SIGHUP);
            }
        } catch (IOException sandboxGone) {
            // Its terminal is closed already: nothing to tell it.
        }
    }

    /** Copies until end of input (true) or an I/O error on either side (false). */
    private static boolean copy(InputStream in, OutputStream out) {
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
                out.flush();
            }
            return true;
        } catch (IOException endOfTerminal) {
            // EIO on a pty master once the other side is gone.
            return false;
        }
    }

    private synchronized void restore() {
        if (saved != null) Terminal.setAttributes(STDIN, saved);
    }

    @Override
    public void close() throws InterruptedException {
        output.join(2000);  // let the last output through before the exit status
        restore();
        try {
            Runtime.getRuntime().removeShutdownHook(restoreOnExit);
        } catch (IllegalStateException shuttingDown) {
            // The hook runs anyway.
        }
    }
}
