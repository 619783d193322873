package dev.jbox.cli;

import dev.jbox.JboxException;
import dev.jbox.state.SandboxView;
import dev.jbox.state.Sandboxes;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * The {@code ID|NAME…} arguments of stop, kill, rm, inspect: each is handled on its own, as in
 * podman; a failure prints its message and makes the exit status 125 once all are done.
 */
final class Targets {
    private Targets() {}

    /** With {@code echo}, a success prints the argument (podman's way of saying which ones worked). */
    static int each(List<String> refs, boolean echo, BiConsumer<Sandboxes, SandboxView> action) {
        Sandboxes sandboxes = Sandboxes.live();
        int status = 0;
        for (String ref : refs) {
            try {
                action.accept(sandboxes, sandboxes.find(ref));
                if (echo) System.out.println(ref);
            } catch (JboxException e) {
                System.err.println("jbox: " + e.userMessage());
                status = e.exitCode();
            }
        }
        return status;
    }
}
