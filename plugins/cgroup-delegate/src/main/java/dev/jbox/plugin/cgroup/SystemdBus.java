package dev.jbox.plugin.cgroup;

import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.interfaces.Properties;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A private connection to the user bus and the calls jbox makes on systemd's manager. Remote
 * failures surface as dbus-java's unchecked {@link DBusExecutionException}, whose message is
 * systemd's error text.
 */
final class SystemdBus implements AutoCloseable {
    private final DBusConnection connection;
    private final Systemd1Manager manager;
    private final Map<String, CompletableFuture<String>> jobResults = new ConcurrentHashMap<>();
    private AutoCloseable jobSubscription;

    private SystemdBus(DBusConnection connection) throws DBusException {
        this.connection = connection;
        this.manager = connection.getRemoteObject(Systemd1Manager.BUS_NAME, Systemd1Manager.OBJECT_PATH, Systemd1Manager.class);
    }

    /** A private (unshared) connection, so closing it affects no one else in this JVM. */
    static SystemdBus connect(String address) throws DBusException {
        DBusConnection connection = DBusConnectionBuilder.forAddress(address).withShared(false).build();
        try {
            return new SystemdBus(connection);
        } catch (DBusException | RuntimeException e) {
            connection.disconnect();
            throw e;
        }
    }

    /** Whether a systemd manager owns its bus name here (a session bus without one is possible). */
    boolean managerPresent() throws DBusException {
        return connection.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class).NameHasOwner(Systemd1Manager.BUS_NAME);
    }

    /** The manager's own cgroup ({@code ControlGroup}), e.g. {@code /user.slice/user-1000.slice/user@1000.service}. */
    Optional<String> managerControlGroup() {
        try {
            Object value = connection.getRemoteObject(Systemd1Manager.BUS_NAME, Systemd1Manager.OBJECT_PATH, Properties.class)
                    .Get(Systemd1Manager.INTERFACE, "ControlGroup");
            return value instanceof String s && s.startsWith("/") ? Optional.of(s) : Optional.empty();
        } catch (DBusException | DBusExecutionException e) {
            return Optional.empty();
        }
    }

    /**
     * Starts listening for {@code JobRemoved}. Call before the call that creates a job: systemd may
     * finish the job before its reply reaches us. Results are kept per job path until awaited.
     */
    synchronized void watchJobs() throws DBusException {
        if (jobSubscription != null) return;
        jobSubscription = connection.addSigHandler(Systemd1Manager.JobRemoved.class,
                signal -> jobResult(signal.job().getPath()).complete(signal.result()));
    }

    /** The result of a job ("done", "failed", "canceled", "timeout", "dependency", "skipped"). */
    String awaitJob(DBusPath job, Duration timeout) throws TimeoutException, InterruptedException {
        try {
            return jobResult(job.getPath()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            jobResults.remove(job.getPath());
        }
    }

    private CompletableFuture<String> jobResult(String jobPath) {
        return jobResults.computeIfAbsent(jobPath, p -> new CompletableFuture<>());
    }

    /** {@code StartTransientUnit(name, "fail", properties, [])}; returns the job. */
    DBusPath startTransientUnit(String name, List<UnitProperty> properties) {
        return manager.StartTransientUnit(name, "fail", properties.stream().map(PropertyCodec::encode).toList(), List.of());
    }

    /** {@code StopUnit(name, "fail")}; returns the job. */
    DBusPath stopUnit(String name) {
        return manager.StopUnit(name, "fail");
    }

    void resetFailedUnit(String name) {
        manager.ResetFailedUnit(name);
    }

    @Override
    public synchronized void close() {
        try {
            if (jobSubscription != null) jobSubscription.close();
        } catch (Exception ignored) {
            // The connection goes next, and its match rules with it.
        }
        try {
            connection.close();
        } catch (IOException ignored) {
            // Nothing left to release.
        }
    }
}
