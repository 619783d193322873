package dev.jbox.state;

import dev.jbox.JboxException;
import dev.jbox.state.SandboxState.Status;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * What {@code ps}, {@code stop}, {@code kill}, {@code rm} and {@code inspect} do to recorded
 * sandboxes. Signals go only to a pid whose start time still matches the record ({@link Signaller}).
 */
public final class Sandboxes {
    public static final int SIGKILL = 9, SIGTERM = 15;
    private static final long POLL_MILLIS = 20;

    /**
     * @param afterKill   how long a workload may take to vanish after SIGKILL before jbox gives up
     * @param forRecord   how long to wait for a live monitor to record an exit it has seen (it runs
     *                    the plugins' cleanup first)
     */
    record Waits(Duration afterKill, Duration forRecord) {
        static final Waits DEFAULT = new Waits(Duration.ofSeconds(10), Duration.ofSeconds(10));
    }

    private final StateStore store;
    private final ProcFs proc;
    private final Signaller signaller;
    private final Waits waits;

    public Sandboxes(StateStore store, ProcFs proc, Signaller signaller) {
        this(store, proc, signaller, Waits.DEFAULT);
    }

    Sandboxes(StateStore store, ProcFs proc, Signaller signaller, Waits waits) {
        this.store = store;
        this.proc = proc;
        this.signaller = signaller;
        this.waits = waits;
    }

    /** The user's sandboxes on this host, with real processes and signals. */
    public static Sandboxes live() {
        return new Sandboxes(StateStore.open(), ProcFs.LIVE, new PidfdSignaller(ProcFs.LIVE));
    }

    public StateStore store() {
        return store;
    }

    /** All recorded sandboxes as they stand now, oldest first. */
    public List<SandboxView> list() {
        return store.list().stream().map(this::view).toList();
    }

    /** The sandbox {@code ref} names: a full id, a name, or an unambiguous id prefix. */
    public SandboxView find(String ref) {
        List<SandboxState> all = store.list();
        for (SandboxState s : all) if (s.id().equals(ref)) return view(s);
        for (SandboxState s : all) if (ref.equals(s.name())) return view(s);
        List<SandboxState> prefixed = ref.isEmpty() ? List.of() : all.stream().filter(s -> s.id().startsWith(ref)).toList();
        if (prefixed.size() == 1) return view(prefixed.getFirst());
        if (prefixed.size() > 1) {
            throw new JboxException(ref + " matches several sandboxes: " + String.join(", ", prefixed.stream().map(SandboxState::id).toList()),
                    "give more of the id, or the name");
        }
        throw new JboxException("no such sandbox: " + ref, "see jbox ps -a");
    }

    /** Sends {@code signal} to the workload; refused if it is not running. */
    public void kill(SandboxView sandbox, int signal) {
        if (!sandbox.isRunning() || !signaller.send(sandbox.state().pid(), sandbox.state().pidStartTime(), signal)) {
            throw new JboxException("sandbox " + describe(sandbox) + " is not running", "see jbox ps -a");
        }
    }

    /**
     * SIGTERM, up to {@code timeout} for the workload to end, then SIGKILL (pid 1 of a sandbox
     * ignores signals it has no handler for); returns once the monitor has recorded the exit.
     * Stopping a sandbox that is not running does nothing, as in podman.
     *
     * @return true if the workload outlived the grace period and had to be killed
     */
    public boolean stop(SandboxView sandbox, Duration timeout) {
        SandboxState s = sandbox.state();
        if (sandbox.status() == Status.CREATED) throw stillStarting(sandbox);
        boolean killed = false;
        if (sandbox.isRunning()) {
            if (!timeout.isZero() && signaller.send(s.pid(), s.pidStartTime(), SIGTERM)) await(() -> !running(s), timeout);
            if (running(s)) {
                killed = true;
                signaller.send(s.pid(), s.pidStartTime(), SIGKILL);
                if (!await(() -> !running(s), waits.afterKill())) {
                    throw new JboxException("sandbox " + describe(sandbox) + " (pid " + s.pid() + ") is still running " + waits.afterKill().toSeconds() + " s after SIGKILL",
                            "is it stuck in the kernel (state D)? see /proc/" + s.pid() + "/status");
                }
            }
        }
        awaitRecord(s.id());
        return killed;
    }

    /** Removes the sandbox's state and log; a running one only with {@code force}, which kills it first. */
    public void remove(SandboxView sandbox, boolean force) {
        if (sandbox.status() == Status.CREATED) throw stillStarting(sandbox);
        if (sandbox.isRunning()) {
            if (!force) {
                throw new JboxException("sandbox " + describe(sandbox) + " is running",
                        "stop it first with jbox stop " + ref(sandbox) + ", or use jbox rm -f " + ref(sandbox));
            }
            stop(sandbox, Duration.ZERO);
        }
        awaitRecord(sandbox.id());
        store.remove(sandbox.id());
    }

    private SandboxView view(SandboxState s) {
        return SandboxView.of(s, proc, store.dir(s.id()));
    }

    private boolean running(SandboxState s) {
        return proc.isRunning(s.pid(), s.pidStartTime());
    }

    /** Once the workload is gone, its live monitor records the exit status shortly after: wait for that, so ps shows it. */
    private void awaitRecord(String id) {
        await(() -> store.get(id).map(s -> s.status() == Status.EXITED || !proc.isRunning(s.monitorPid(), s.monitorStartTime())).orElse(true),
                waits.forRecord());
    }

    private static boolean await(BooleanSupplier done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) return false;
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JboxException("interrupted while waiting for a sandbox");
            }
        }
        return true;
    }

    private static JboxException stillStarting(SandboxView sandbox) {
        return new JboxException("sandbox " + describe(sandbox) + " is still starting", "try again in a moment");
    }

    private static String ref(SandboxView sandbox) {
        return sandbox.state().name() != null ? sandbox.state().name() : sandbox.id();
    }

    private static String describe(SandboxView sandbox) {
        return sandbox.state().name() != null ? sandbox.state().name() + " (" + sandbox.id() + ")" : sandbox.id();
    }
}
