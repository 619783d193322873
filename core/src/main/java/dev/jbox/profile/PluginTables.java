package dev.jbox.profile;

import org.tomlj.TomlArray;
import org.tomlj.TomlTable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plugins' own sections ({@code [plugins.<id>]}) as plain, immutable Java values, so plugins need
 * not depend on tomlj: tables become {@code Map<String, Object>} (in file order), arrays
 * {@code List<Object>}, scalars stay String, Long, Double, Boolean or java.time values.
 */
final class PluginTables {
    private PluginTables() {}

    static Map<String, Object> plain(TomlTable table) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String key : table.keySet()) out.put(key, plain(table.get(List.of(key))));
        return Collections.unmodifiableMap(out);
    }

    private static Object plain(Object value) {
        return switch (value) {
            case TomlTable t -> plain(t);
            case TomlArray a -> {
                List<Object> out = new ArrayList<>(a.size());
                for (int i = 0; i < a.size(); i++) out.add(plain(a.get(i)));
                yield Collections.unmodifiableList(out);
            }
            default -> value;
        };
    }

    /** {@code top}'s tables laid over {@code base}'s, key by key at every depth; top wins for other values. */
    static Map<String, Map<String, Object>> merge(Map<String, Map<String, Object>> base, Map<String, Map<String, Object>> top) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>(base);
        top.forEach((id, table) -> out.merge(id, table, PluginTables::mergeTables));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mergeTables(Map<String, Object> base, Map<String, Object> top) {
        Map<String, Object> out = new LinkedHashMap<>(base);
        top.forEach((key, value) -> out.merge(key, value, (b, t) -> b instanceof Map<?, ?> bm && t instanceof Map<?, ?> tm
                ? mergeTables((Map<String, Object>) bm, (Map<String, Object>) tm) : t));
        return Collections.unmodifiableMap(out);
    }

    static Map<String, Map<String, Object>> copyOf(Map<String, Map<String, Object>> plugins) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        plugins.forEach((id, table) -> out.put(id, Collections.unmodifiableMap(new LinkedHashMap<>(table))));
        return Collections.unmodifiableMap(out);
    }
}
