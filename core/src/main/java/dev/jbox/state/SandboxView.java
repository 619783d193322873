package dev.jbox.state;

import dev.jbox.state.SandboxState.Status;

import java.nio.file.Path;
import java.util.Map;

/**
 * A record as it stands now: the recorded status checked against the processes. A "running"
 * workload whose pid is gone or names another process (pid reuse) has exited, even if its
 * monitor died before it could record how; a "created" one whose monitor is gone never started.
 *
 * @param status         what is true now
 * @param monitorRunning the monitor that will record the exit is alive
 */
public record SandboxView(SandboxState state, Status status, boolean monitorRunning, Path dir) {
    static SandboxView of(SandboxState state, ProcFs proc, Path dir) {
        boolean monitor = proc.isRunning(state.monitorPid(), state.monitorStartTime());
        Status now = switch (state.status()) {
            case RUNNING -> proc.isRunning(state.pid(), state.pidStartTime()) ? Status.RUNNING : Status.EXITED;
            case CREATED -> monitor ? Status.CREATED : Status.EXITED;
            case EXITED -> Status.EXITED;
        };
        return new SandboxView(state, now, monitor, dir);
    }

    public String id() {
        return state.id();
    }

    public boolean isRunning() {
        return status == Status.RUNNING;
    }

    /** Exited without a recorded status: its monitor was killed or crashed before the workload ended. */
    public boolean exitUnknown() {
        return status == Status.EXITED && state.exitCode() == null;
    }

    /** The record as {@code jbox inspect} shows it: the current status, plus where its files are. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = state.toJson();
        m.put("status", status.json());
        m.put("monitorRunning", monitorRunning);
        m.put("stateDir", dir.toString());
        m.put("log", dir.resolve("log").toString());
        return m;
    }
}
