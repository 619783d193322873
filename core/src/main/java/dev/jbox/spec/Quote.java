package dev.jbox.spec;

/** Puts user-supplied text into a message safely: quoted, control characters escaped, shortened. */
public final class Quote {
    private Quote() {}

    /** At most 40 characters of {@code text}, e.g. {@code "SYS_ADMN"} or {@code "ab\u000acd"}. */
    public static String of(String text) {
        return of(text, 40);
    }

    public static String of(String text, int maxCodePoints) {
        StringBuilder sb = new StringBuilder("\"");
        text.codePoints().limit(maxCodePoints).forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f || cp == '"' || cp == '\\' || (cp >= 0x80 && cp < 0xa0)) {
                sb.append(String.format("\\u%04x", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        if (text.codePoints().limit(maxCodePoints + 1L).count() > maxCodePoints) sb.append('…');
        return sb.append('"').toString();
    }
}
