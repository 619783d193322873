package dev.jbox.plugin.cgroup;

import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

import java.util.List;

/**
 * The part of systemd's {@code org.freedesktop.systemd1.Manager} jbox uses (names as on the bus).
 * See org.freedesktop.systemd1(5).
 */
@DBusInterfaceName("org.freedesktop.systemd1.Manager")
@SuppressWarnings("checkstyle:methodname")
public interface Systemd1Manager extends DBusInterface {
    String BUS_NAME = "org.freedesktop.systemd1";
    String OBJECT_PATH = "/org/freedesktop/systemd1";
    String INTERFACE = "org.freedesktop.systemd1.Manager";

    /** {@code StartTransientUnit(in s name, in s mode, in a(sv) properties, in a(sa(sv)) aux, out o job)} */
    DBusPath StartTransientUnit(String name, String mode, List<Property> properties, List<AuxUnit> aux);

    /** {@code StopUnit(in s name, in s mode, out o job)} */
    DBusPath StopUnit(String name, String mode);

    /** {@code ResetFailedUnit(in s name)} */
    void ResetFailedUnit(String name);

    /** {@code (sv)}: one unit property. */
    final class Property extends Struct {
        @Position(0) private final String name;
        @Position(1) private final Variant<?> value;

        public Property(String name, Variant<?> value) {
            this.name = name;
            this.value = value;
        }

        public String getName() { return name; }
        public Variant<?> getValue() { return value; }
    }

    /** {@code (sa(sv))}: an auxiliary unit started with the main one (jbox sends none). */
    final class AuxUnit extends Struct {
        @Position(0) private final String name;
        @Position(1) private final List<Property> properties;

        public AuxUnit(String name, List<Property> properties) {
            this.name = name;
            this.properties = properties;
        }

        public String getName() { return name; }
        public List<Property> getProperties() { return properties; }
    }

    /** {@code JobRemoved(u id, o job, s unit, s result)}: a job finished; result "done" means success. */
    final class JobRemoved extends DBusSignal {
        private final UInt32 id;
        private final DBusPath job;
        private final String unit;
        private final String result;

        public JobRemoved(String path, UInt32 id, DBusPath job, String unit, String result) throws DBusException {
            super(path, id, job, unit, result);
            this.id = id;
            this.job = job;
            this.unit = unit;
            this.result = result;
        }

        public UInt32 id() { return id; }
        public DBusPath job() { return job; }
        public String unit() { return unit; }
        public String result() { return result; }
    }
}
