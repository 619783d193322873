package dev.jbox.plugin.cgroup;

import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/** {@link UnitProperty} to and from dbus-java's {@code (sv)} structs. */
public final class PropertyCodec {
    private PropertyCodec() {}

    public static Systemd1Manager.Property encode(UnitProperty property) {
        return new Systemd1Manager.Property(property.name(), variant(property.value()));
    }

    static Variant<?> variant(UnitProperty.Value value) {
        return switch (value) {
            case UnitProperty.U64 u -> new Variant<>(new UInt64(new BigInteger(Long.toUnsignedString(u.bits()))));
            case UnitProperty.Bool b -> new Variant<>(b.value());
            case UnitProperty.Text t -> new Variant<>(t.value());
            case UnitProperty.U32Array a -> new Variant<>(a.values().stream().map(UInt32::new).toList(), a.signature());
        };
    }

    /** What a {@code (sv)} received on the bus says, as jbox's model (used by the test systemd). */
    public static UnitProperty.Value decode(Variant<?> variant) {
        Object v = variant.getValue();
        return switch (v) {
            case UInt64 u -> new UnitProperty.U64(u.value().longValue());
            case Boolean b -> new UnitProperty.Bool(b);
            case String s -> new UnitProperty.Text(s);
            case Collection<?> c -> new UnitProperty.U32Array(c.stream().map(x -> ((Number) x).intValue()).toList());
            case Object[] a -> new UnitProperty.U32Array(Arrays.stream(a).map(x -> ((Number) x).intValue()).toList());
            case long[] a -> new UnitProperty.U32Array(longs(a));
            default -> throw new IllegalArgumentException("unexpected property value " + v + " (" + variant.getSig() + ")");
        };
    }

    private static List<Integer> longs(long[] values) {
        List<Integer> out = new ArrayList<>();
        for (long x : values) out.add((int) x);
        return out;
    }
}
