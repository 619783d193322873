package dev.jbox.cli;

import dev.jbox.Sandbox;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.state.DetachedStart;
import dev.jbox.state.MonitorJvm;
import dev.jbox.state.ProcFs;
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
        // Until the monitor takes over, this jbox stands for it: a record with no live monitor never started.
        long self = ProcessHandle.current().pid();
        SandboxState state = SandboxState.of(id, spec, Instant.now()).withMonitor(self, ProcFs.LIVE.startTime(self));
        new DetachedStart(StateStore.open()).start(state, MonitorJvm.command(MonitorMain.class.getName(), monitorArgs));
        System.out.println(id);
        return 0;
    }
}
