package dev.jbox.state;

import dev.jbox.spec.RootFs;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.spi.ExitStatus;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What jbox records about one detached sandbox, in {@code <state dir>/<id>/state.json}. Written by
 * {@code jbox run -d} (created), then by the sandbox's monitor (running, exited).
 *
 * @param rootfs           the root directory, {@code host} for the host's /, or null for an image
 * @param image            the image reference, or null
 * @param pid              the workload's host pid (0 before it runs)
 * @param pidStartTime     its start time in clock ticks after boot (/proc/PID/stat field 22): a
 *                         pid whose start time differs is another process (pid reuse); 0 = unknown
 * @param monitorPid       the monitor JVM that waits for the workload and records its exit
 * @param exitCode         the shell status (code, or 128+signal) once recorded, else null
 * @param signal           the signal that killed the workload, or null
 * @param stopTimeoutSeconds grace period {@code jbox stop} gives before SIGKILL (run --stop-timeout)
 */
public record SandboxState(
        String id,
        String name,
        Status status,
        List<String> command,
        String rootfs,
        String image,
        Instant created,
        Instant started,
        Instant finished,
        long pid,
        long pidStartTime,
        long monitorPid,
        long monitorStartTime,
        Integer exitCode,
        Integer signal,
        long stopTimeoutSeconds) {

    /** The recorded lifecycle; {@link SandboxView} checks it against the running processes. */
    public enum Status {
        CREATED, RUNNING, EXITED;

        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Status parse(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }
    }

    public SandboxState {
        command = List.copyOf(command);
    }

    /** The record {@code jbox run -d} reserves before it starts the monitor. */
    public static SandboxState of(String id, SandboxSpec spec, Instant now) {
        String rootfs = switch (spec.rootfs()) {
            case RootFs.Host h -> "host";
            case RootFs.Directory d -> d.path().normalize().toString();
            case RootFs.Image i -> null;
        };
        String image = spec.rootfs() instanceof RootFs.Image i ? i.reference() : null;
        return new SandboxState(id, spec.name(), Status.CREATED, spec.command(), rootfs, image, millis(now), null, null,
                0, 0, 0, 0, null, null, spec.stopTimeout().toSeconds());
    }

    public SandboxState withMonitor(long pid, long startTime) {
        return new SandboxState(id, name, status, command, rootfs, image, created, started, finished,
                this.pid, pidStartTime, pid, startTime, exitCode, signal, stopTimeoutSeconds);
    }

    public SandboxState running(long pid, long startTime, Instant now) {
        return new SandboxState(id, name, Status.RUNNING, command, rootfs, image, created, millis(now), finished,
                pid, startTime, monitorPid, monitorStartTime, exitCode, signal, stopTimeoutSeconds);
    }

    public SandboxState exited(ExitStatus exit, Instant now) {
        return new SandboxState(id, name, Status.EXITED, command, rootfs, image, created, started, millis(now),
                pid, pidStartTime, monitorPid, monitorStartTime, exit.shellStatus(), exit.wasKilled() ? exit.signal() : null,
                stopTimeoutSeconds);
    }

    private static Instant millis(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("name", name);
        m.put("status", status.json());
        m.put("command", command);
        m.put("rootfs", rootfs);
        m.put("image", image);
        m.put("created", text(created));
        m.put("started", text(started));
        m.put("finished", text(finished));
        m.put("pid", pid);
        m.put("pidStartTime", pidStartTime);
        m.put("monitorPid", monitorPid);
        m.put("monitorStartTime", monitorStartTime);
        m.put("exitCode", exitCode);
        m.put("signal", signal);
        m.put("stopTimeout", stopTimeoutSeconds);
        return m;
    }

    /** The record from its JSON form; {@link IllegalArgumentException} naming the field if it is malformed. */
    public static SandboxState fromJson(Map<?, ?> m) {
        return new SandboxState(string(m, "id", false), string(m, "name", true), Status.parse(string(m, "status", false)),
                strings(m, "command"), string(m, "rootfs", true), string(m, "image", true),
                instant(m, "created"), instant(m, "started"), instant(m, "finished"),
                number(m, "pid"), number(m, "pidStartTime"), number(m, "monitorPid"), number(m, "monitorStartTime"),
                smallNumber(m, "exitCode"), smallNumber(m, "signal"), number(m, "stopTimeout"));
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }

    private static String string(Map<?, ?> m, String key, boolean nullable) {
        Object v = m.get(key);
        if (v == null && nullable) return null;
        if (v instanceof String s) return s;
        throw new IllegalArgumentException("field " + key + ": expected a string, got " + v);
    }

    private static long number(Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (v == null) return 0;
        if (v instanceof Long n) return n;
        throw new IllegalArgumentException("field " + key + ": expected an integer, got " + v);
    }

    private static Integer smallNumber(Map<?, ?> m, String key) {
        return m.get(key) == null ? null : Math.toIntExact(number(m, key));
    }

    private static Instant instant(Map<?, ?> m, String key) {
        String s = string(m, key, true);
        try {
            return s == null ? null : Instant.parse(s);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("field " + key + ": expected an ISO-8601 instant, got " + s);
        }
    }

    private static List<String> strings(Map<?, ?> m, String key) {
        if (!(m.get(key) instanceof List<?> list)) throw new IllegalArgumentException("field " + key + ": expected an array of strings");
        return list.stream().map(v -> {
            if (v instanceof String s) return s;
            throw new IllegalArgumentException("field " + key + ": expected strings, got " + v);
        }).toList();
    }
}
