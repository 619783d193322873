package dev.jbox.cli;

import dev.jbox.launch.SandboxProcess;
import sun.misc.Signal;

import java.util.Map;

/**
 * Forwards the signals a user sends to jbox to the sandbox's workload (DESIGN §2 step 8). The
 * stopping signals escalate to SIGKILL after the stop timeout, since pid 1 ignores signals it
 * has no handler for.
 */
final class SignalForwarder {
    private SignalForwarder() {}

    private static final Map<String, Boolean> FORWARDED = Map.of(
            "INT", true, "TERM", true, "HUP", true, "QUIT", true, "USR1", false, "USR2", false, "WINCH", false);

    static void install(SandboxProcess process) {
        FORWARDED.forEach((name, stops) -> {
            try {
                Signal.handle(new Signal(name), s -> {
                    if (stops) process.stop(s.getNumber());
                    else process.signal(s.getNumber());
                });
            } catch (IllegalArgumentException reservedByTheVm) {
                // e.g. SIGQUIT without -Xrs: the launcher passes -Xrs, a library host may not.
            }
        });
    }
}
