package dev.jbox.plugin.cgroup;

import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.Variant;

import java.util.Map;

/** {@code org.freedesktop.DBus.Properties} answering Get from {@link #property}, null meaning unknown. */
abstract class ReadOnlyProperties implements Properties {
    abstract Object property(String interfaceName, String propertyName);

    @Override
    @SuppressWarnings("unchecked")
    public <A> A Get(String interfaceName, String propertyName) {
        Object value = property(interfaceName, propertyName);
        if (value == null) throw new DBusExecutionException("Unknown property " + interfaceName + "." + propertyName);
        return (A) value;
    }

    @Override
    public <A> void Set(String interfaceName, String propertyName, A value) {
        throw new DBusExecutionException("read-only");
    }

    @Override
    public Map<String, Variant<?>> GetAll(String interfaceName) {
        return Map.of();
    }
}
