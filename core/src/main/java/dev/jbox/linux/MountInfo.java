package dev.jbox.linux;

/** Fields of {@code /proc/PID/mountinfo} lines (proc(5)). */
public final class MountInfo {
    private MountInfo() {}

    /** The kernel writes space, tab, newline and backslash in paths as {@code \040}, {@code \011}, {@code \012}, {@code \134}. */
    public static String unescape(String field) {
        if (field.indexOf('\\') < 0) return field;
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && isOctal(field, i + 1, i + 4)) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') return false;
        }
        return true;
    }
}
