package dev.jbox.cli;

import dev.jbox.launch.SandboxProcess;
import sun.misc.Signal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Forwards the signals a user sends to jbox to the sandbox's workload (DESIGN §2 step 8). The
 * stopping signals escalate to SIGKILL after the stop timeout, since pid 1 ignores signals it
 * has no handler for. Installed before the launch, so a signal that arrives while the sandbox
 * starts is held and delivered as soon as the workload runs, never lost and never fatal to jbox.
 */
final class SignalForwarder {
    private static final Map<String, Boolean> FORWARDED = Map.of(
            "INT", true, "TERM", true, "HUP", true, "QUIT", true, "USR1", false, "USR2", false, "WINCH", false);

    private SandboxProcess process;
    private Runnable onWindowChange;
    private final List<Signal> pending = new ArrayList<>();

    static SignalForwarder install() {
        SignalForwarder forwarder = new SignalForwarder();
        FORWARDED.keySet().forEach(name -> {
            try {
                Signal.handle(new Signal(name), forwarder::received);
            } catch (IllegalArgumentException reservedByTheVm) {
                // SIGQUIT stays the JVM's (thread dumps); -Xrs would free it but forbid TERM and INT.
            }
        });
        return forwarder;
    }

    /** With a terminal, SIGWINCH resizes it (the kernel then signals the sandbox's foreground job). */
    synchronized void attach(SandboxProcess p, Runnable windowChanged) {
        onWindowChange = windowChanged;
        attach(p);
    }

    synchronized void attach(SandboxProcess p) {
        process = p;
        pending.forEach(this::forward);
        pending.clear();
    }

    private synchronized void received(Signal s) {
        if (process == null) pending.add(s);
        else forward(s);
    }

    private void forward(Signal s) {
        if (s.getName().equals("WINCH") && onWindowChange != null) onWindowChange.run();
        else if (FORWARDED.get(s.getName())) process.stop(s.getNumber());
        else process.signal(s.getNumber());
    }
}
