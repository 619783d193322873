package dev.jbox.plugin.cgroup;

import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.errors.PropertyReadOnly;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The part of systemd's user manager jbox uses, served on a private bus under systemd's name and
 * object path. Like systemd it moves the PIDs into the scope's cgroup below its slice (in the
 * {@link FakeHost} tree, with the controllers it is told to delegate) and reports the job by
 * {@code JobRemoved}.
 * It records every call, and can be told to fail the job, fail the call, stay silent, or not know
 * a property.
 */
final class FakeSystemd extends ReadOnlyProperties implements Systemd1Manager, AutoCloseable {
    private final DBusConnection connection;
    private final FakeHost host;
    private final AtomicInteger jobIds = new AtomicInteger(100);
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final Map<String, List<UnitProperty>> started = new ConcurrentHashMap<>();
    private final Map<String, Path> scopeDirs = new ConcurrentHashMap<>();
    private final Set<String> slices = ConcurrentHashMap.newKeySet();

    // What it does, set by each test.
    volatile String jobResult = "done";
    volatile boolean emitJobRemoved = true;
    volatile boolean signalBeforeReply;
    volatile String failStart;
    final Set<String> unknownProperties = ConcurrentHashMap.newKeySet();
    volatile String scopeControllers = "cpu io memory pids";
    volatile String managerControllers = "cpu io memory pids";

    FakeSystemd(String busAddress, FakeHost host) throws DBusException, IOException {
        this.host = host;
        host.cgroup(FakeHost.USER_MANAGER, managerControllers, managerControllers);
        connection = DBusConnectionBuilder.forAddress(busAddress).withShared(false).build();
        connection.requestBusName(BUS_NAME);
        connection.exportObject(OBJECT_PATH, this);
    }

    /** The calls in order, as "StartTransientUnit jbox-x.scope fail". */
    List<String> calls() {
        return List.copyOf(calls);
    }

    /** The properties of the last StartTransientUnit for {@code unit} that systemd accepted. */
    List<UnitProperty> properties(String unit) {
        return started.get(unit);
    }

    /** The scope's cgroup directory in the fake tree (its parent is the slice's). */
    Path scopeDir(String unit) {
        return scopeDirs.get(unit);
    }

    /** Keeps the fake tree's controllers for the user manager as the test wants them. */
    void delegate(String controllers) throws IOException {
        managerControllers = controllers;
        Files.writeString(host.cgroupDir(FakeHost.USER_MANAGER).resolve("cgroup.controllers"), controllers + "\n");
    }

    @Override
    public DBusPath StartTransientUnit(String name, String mode, List<Property> properties, List<AuxUnit> aux) {
        calls.add("StartTransientUnit " + name + " " + mode + " aux=" + aux.size());
        if (failStart != null) throw new DBusExecutionException(failStart);
        List<UnitProperty> decoded = new ArrayList<>();
        for (Property p : properties) {
            if (unknownProperties.contains(p.getName())) {
                throw new PropertyReadOnly("Cannot set property " + p.getName() + ", or unknown property.");
            }
            decoded.add(new UnitProperty(p.getName(), PropertyCodec.decode(p.getValue()), false));
        }
        started.put(name, decoded);
        moveIntoScope(name, decoded);
        DBusPath job = new DBusPath(OBJECT_PATH + "/job/" + jobIds.incrementAndGet());
        if (signalBeforeReply) jobRemoved(job, name, jobResult);
        else if (emitJobRemoved) Thread.ofVirtual().start(() -> {
            sleep(50);
            jobRemoved(job, name, jobResult);
        });
        return job;
    }

    private void moveIntoScope(String unit, List<UnitProperty> properties) {
        try {
            String slice = properties.stream().filter(p -> p.name().equals("Slice")).map(p -> p.value().toString()).findFirst().orElse("app.slice");
            slices.add(slice);
            String sliceCgroup = FakeHost.USER_MANAGER + slicePath(slice);
            host.cgroup(sliceCgroup, scopeControllers, scopeControllers);
            String cgroup = sliceCgroup + "/" + unit;
            Path dir = host.cgroup(cgroup, scopeControllers, "");
            scopeDirs.put(unit, dir);
            for (UnitProperty p : properties) {
                if (p.value() instanceof UnitProperty.U32Array(List<Integer> pids)) {
                    for (int pid : pids) {
                        Files.createDirectories(host.root.resolve("proc/" + pid));
                        Files.writeString(host.root.resolve("proc/" + pid + "/cgroup"), "0::" + cgroup + "\n");
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** systemd's slice naming: a-b.slice is a.slice/a-b.slice. */
    private static String slicePath(String slice) {
        String[] parts = slice.substring(0, slice.length() - ".slice".length()).split("-");
        StringBuilder path = new StringBuilder();
        String prefix = "";
        for (String part : parts) {
            prefix = prefix.isEmpty() ? part : prefix + "-" + part;
            path.append('/').append(prefix).append(".slice");
        }
        return path.toString();
    }

    private void jobRemoved(DBusPath job, String unit, String result) {
        try {
            String id = job.getPath().substring(job.getPath().lastIndexOf('/') + 1);
            connection.sendMessage(new JobRemoved(OBJECT_PATH, new UInt32(Long.parseLong(id)), job, unit, result));
        } catch (DBusException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public DBusPath StopUnit(String name, String mode) {
        calls.add("StopUnit " + name + " " + mode);
        if (!started.containsKey(name) && !slices.contains(name)) throw new DBusExecutionException("Unit " + name + " not loaded.");
        DBusPath job = new DBusPath(OBJECT_PATH + "/job/" + jobIds.incrementAndGet());
        Thread.ofVirtual().start(() -> {
            sleep(20);
            jobRemoved(job, name, "done");
        });
        return job;
    }

    @Override
    public void ResetFailedUnit(String name) {
        calls.add("ResetFailedUnit " + name);
    }

    /** {@code org.freedesktop.DBus.Properties} of the manager: ControlGroup. */
    @Override
    Object property(String interfaceName, String propertyName) {
        calls.add("Get " + interfaceName + " " + propertyName);
        return interfaceName.equals(INTERFACE) && propertyName.equals("ControlGroup") ? FakeHost.USER_MANAGER : null;
    }

    @Override
    public String getObjectPath() {
        return OBJECT_PATH;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }
}
