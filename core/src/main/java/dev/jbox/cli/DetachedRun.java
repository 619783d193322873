package dev.jbox.cli;

import dev.jbox.Sandbox;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.state.DetachedStart;
import dev.jbox.state.MonitorJvm;
import dev.jbox.state.SandboxState;
import dev.jbox.state.StateStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code jbox run -d}: start the sandbox under a monitor JVM, print its id, leave it running. */
final class DetachedRun {
    private DetachedRun() {}

    /** {@code jboxArgs} are this jbox's whole command line; the monitor parses them again. */
    static int start(SandboxSpec spec, List<String> jboxArgs) {
        String id = Sandbox.newId();
        List<String> monitorArgs = new ArrayList<>();
        monitorArgs.add(id);
        monitorArgs.addAll(jboxArgs);
        new DetachedStart(StateStore.open()).start(SandboxState.of(id, spec, Instant.now()),
                MonitorJvm.command(MonitorMain.class.getName(), monitorArgs));
        System.out.println(id);
        return 0;
    }
}
