package dev.jbox.profile;

/** Text from a profile file as it appears in messages: one line, and never huge. */
final class Texts {
    private Texts() {}

    /** Control characters as {@code \u000a}, so one problem is always one line. */
    static String oneLine(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) out.append(String.format("\\u%04x", c));
            else out.appendCodePoint(c);
        });
        return out.toString();
    }

    /** A key or value from the file: abbreviated past 100 characters, one line, backticks escaped (keys are shown in them). */
    static String display(String text) {
        String shortened = text.length() > 100 ? text.substring(0, 97) + "…" : text;
        return oneLine(shortened).replace("`", "\\u0060");
    }

    /** A value from the file, quoted for a message. */
    static String quote(String value) {
        return "\"" + display(value) + "\"";
    }
}
