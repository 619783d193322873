package dev.jbox.doctor;

import dev.jbox.state.Json;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One line of {@code jbox doctor}: what was checked, the verdict, what was found, and the fix. */
public record Check(String name, Status status, String detail, String fix) {
    public enum Status { OK, WARN, FAIL }

    public static Check ok(String name, String detail) { return new Check(name, Status.OK, detail, null); }
    public static Check warn(String name, String detail, String fix) { return new Check(name, Status.WARN, detail, fix); }
    public static Check fail(String name, String detail, String fix) { return new Check(name, Status.FAIL, detail, fix); }

    public String render() {
        return String.format("%-4s %-22s %s%s", status, name, detail, fix == null ? "" : "\n     fix: " + fix);
    }

    public static String toJson(List<Check> checks) {
        return Json.write(checks.stream().<Object>map(c -> {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("name", c.name);
            fields.put("status", c.status.name());
            fields.put("detail", c.detail);
            fields.put("fix", c.fix);
            return fields;
        }).toList());
    }
}
