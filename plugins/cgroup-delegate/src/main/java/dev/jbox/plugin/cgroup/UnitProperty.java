package dev.jbox.plugin.cgroup;

import java.util.List;

/**
 * One {@code (sv)} entry of {@code StartTransientUnit}'s property list. {@code optional} properties
 * (accounting switches) may be dropped, with a warning, when the running systemd does not know
 * them; all others are needed and their rejection refuses the launch.
 */
public record UnitProperty(String name, Value value, boolean optional) {

    public static UnitProperty required(String name, Value value) { return new UnitProperty(name, value, false); }

    public static UnitProperty optional(String name, Value value) { return new UnitProperty(name, value, true); }

    /** The D-Bus values jbox sends, each with its signature. */
    public sealed interface Value {
        String signature();
    }

    /** {@code t}; {@code bits} is unsigned, so -1 is UINT64_MAX, systemd's "infinity". */
    public record U64(long bits) implements Value {
        public static final U64 INFINITY = new U64(-1);
        public String signature() { return "t"; }
        @Override public String toString() { return bits == -1 ? "infinity" : Long.toUnsignedString(bits); }
    }

    /** {@code b} */
    public record Bool(boolean value) implements Value {
        public String signature() { return "b"; }
        @Override public String toString() { return Boolean.toString(value); }
    }

    /** {@code s} */
    public record Text(String value) implements Value {
        public String signature() { return "s"; }
        @Override public String toString() { return value; }
    }

    /** {@code au}, for {@code PIDs}. */
    public record U32Array(List<Integer> values) implements Value {
        public U32Array { values = List.copyOf(values); }
        public String signature() { return "au"; }
        @Override public String toString() { return values.toString(); }
    }

    /** {@code MemoryMax=67108864}: how tests and messages show a property. */
    @Override
    public String toString() {
        return name + "=" + value;
    }
}
