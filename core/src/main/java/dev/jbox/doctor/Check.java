package dev.jbox.doctor;

import java.util.List;
import java.util.stream.Collectors;

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
        return checks.stream().map(c -> "  {\"name\": " + quote(c.name) + ", \"status\": " + quote(c.status.name())
                        + ", \"detail\": " + quote(c.detail) + ", \"fix\": " + (c.fix == null ? "null" : quote(c.fix)) + "}")
                .collect(Collectors.joining(",\n", "[\n", "\n]"));
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (ch < 0x20) b.append(String.format("\\u%04x", (int) ch));
                    else b.append(ch);
                }
            }
        }
        return b.append('"').toString();
    }
}
