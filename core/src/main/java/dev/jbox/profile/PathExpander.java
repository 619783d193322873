package dev.jbox.profile;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Expands {@code ${NAME}} and a leading {@code ~} in path values, and resolves relative paths
 * against the directory of the profile that contains them. Only path values are expanded: a
 * command or an environment value is passed on exactly as written. {@code $$} is a literal
 * {@code $}; a {@code $} not followed by {@code {} or {@code $} is kept as is.
 */
final class PathExpander {
    /** An environment variable's name, as POSIX shells and SandboxSpec accept it. */
    static final java.util.regex.Pattern VARIABLE_NAME = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Map<String, String> environment;

    PathExpander(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** {@code text} with {@code ~} and every {@code ${NAME}} replaced; an undefined name is an error naming it. */
    String expand(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        if (text.equals("~") || text.startsWith("~/")) {
            out.append(variable("HOME", "~"));
            i = 1;
        }
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '$' && text.startsWith("$$", i)) {
                out.append('$');
                i += 2;
            } else if (c == '$' && text.startsWith("${", i)) {
                int end = text.indexOf('}', i + 2);
                if (end < 0) throw new InvalidValue("unterminated ${ in " + Texts.quote(text) + " (write $$ for a literal $)");
                String name = text.substring(i + 2, end);
                if (!VARIABLE_NAME.matcher(name).matches()) {
                    throw new InvalidValue("${" + Texts.display(name) + "} is not a variable name (letters, digits and '_'; write $$ for a literal $)");
                }
                out.append(variable(name, "${" + name + "}"));
                i = end + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** The expanded path, made absolute against {@code baseDir} when it is relative. */
    Path resolve(String text, Path baseDir) {
        String expanded = expand(text);
        if (expanded.isEmpty()) throw new InvalidValue("the path is empty");
        try {
            return baseDir.resolve(expanded).normalize();
        } catch (InvalidPathException e) {
            throw new InvalidValue(Texts.quote(expanded) + " is not a valid path: " + e.getReason());
        }
    }

    private String variable(String name, String written) {
        String value = environment.get(name);
        if (value == null) {
            throw new InvalidValue(written + ": environment variable " + name + " is not set"
                    + (written.equals("~") ? "" : " (set it, or write $$ for a literal $)"));
        }
        return value;
    }
}
