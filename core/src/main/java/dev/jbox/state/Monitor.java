package dev.jbox.state;

import dev.jbox.JboxException;
import dev.jbox.Sandbox;
import dev.jbox.launch.SandboxProcess;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.spi.ExitStatus;

import java.io.File;
import java.lang.ProcessBuilder.Redirect;
import java.time.Instant;

/**
 * The body of a detached sandbox's monitor JVM: it launches the workload as its own child (so it
 * alone can reap it and learn its exact exit status), records it as running, and after the exit
 * records the code or signal. It outlives the {@code jbox run -d} that started it.
 */
public final class Monitor {
    private final StateStore store;
    private final ProcFs proc;

    public Monitor(StateStore store, ProcFs proc) {
        this.store = store;
        this.proc = proc;
    }

    /**
     * Launches {@code spec} under the recorded id, stdio on the log, not tied to any thread's life.
     * If the launch fails, the record is removed (the sandbox never existed) and the error rethrown.
     */
    public SandboxProcess start(String id, SandboxSpec spec, Sandbox sandbox) {
        long self = ProcessHandle.current().pid();
        if (store.update(id, s -> s.withMonitor(self, proc.startTime(self))).isEmpty()) {
            throw new JboxException("sandbox " + id + " was removed before it started", "see jbox ps -a");
        }
        Redirect log = Redirect.appendTo(store.log(id).toFile());
        SandboxSpec detached = spec.toBuilder().stdin(Redirect.from(new File("/dev/null"))).stdout(log).stderr(log).dieWithParent(false).build();
        return launchRecorded(id, detached, sandbox);
    }

    /**
     * A foreground {@code run --name}: recorded with this jbox as its monitor while it runs, so
     * {@code ps} lists it, {@code stop} and {@code kill} reach it, and no other sandbox takes its
     * name meanwhile. {@link #forget} removes the record after the exit.
     */
    public SandboxProcess startAttached(String id, SandboxSpec spec, Sandbox sandbox) {
        long self = ProcessHandle.current().pid();
        store.create(SandboxState.of(id, spec, Instant.now()).withMonitor(self, proc.startTime(self)));
        return launchRecorded(id, spec, sandbox);
    }

    /** Removes the sandbox's record and log (a finished foreground run, or {@code run -d --rm}). */
    public void forget(String id) {
        store.remove(id);
    }

    private SandboxProcess launchRecorded(String id, SandboxSpec spec, Sandbox sandbox) {
        SandboxProcess process;
        try {
            process = sandbox.launch(spec, id);
        } catch (RuntimeException | Error e) {
            store.remove(id);
            throw e;
        }
        // A workload that is already gone has no start time (0): the record then never matches a live pid.
        long startTime = proc.startTime(process.pid());
        store.update(id, s -> s.running(process.pid(), startTime, Instant.now()));
        return process;
    }

    /** Waits for the workload to end and records how; nothing is written if the sandbox was removed meanwhile. */
    public ExitStatus awaitAndRecord(String id, SandboxProcess process) throws InterruptedException {
        ExitStatus status = process.exitStatus();
        store.update(id, s -> s.exited(status, Instant.now()));
        return status;
    }
}
