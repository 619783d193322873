package dev.jbox.profile;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An environment file as podman's {@code --env-file} reads it: {@code NAME=VALUE} per line, the
 * value taken literally (no quotes, no expansion); blank lines and lines starting with {@code #}
 * are skipped; a bare {@code NAME} copies the variable from jbox's own environment if it is set.
 */
public final class EnvFile {
    private static final int MAX_BYTES = 1 << 20;

    private EnvFile() {}

    public static Map<String, String> read(Path file, Map<String, String> hostEnvironment) {
        List<String> lines;
        try {
            lines = TextFiles.read(file, MAX_BYTES).lines().toList();
        } catch (TextFiles.TooLarge e) {
            throw new InvalidValue("env file " + file + " is " + e.getMessage());
        } catch (CharacterCodingException e) {
            throw new InvalidValue("env file " + file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new InvalidValue("cannot read env file " + file + ": " + IoErrors.describe(e));
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).stripLeading();
            if (line.isEmpty() || line.startsWith("#")) continue;
            int eq = line.indexOf('=');
            String name = eq < 0 ? line.strip() : line.substring(0, eq);
            if (!PathExpander.VARIABLE_NAME.matcher(name).matches()) {
                throw new InvalidValue("env file " + file + " line " + (i + 1) + ": " + Texts.quote(name)
                        + " is not a variable name (letters, digits and '_', not starting with a digit)");
            }
            if (eq >= 0) env.put(name, line.substring(eq + 1));
            else if (hostEnvironment.containsKey(name)) env.put(name, hostEnvironment.get(name));
        }
        return env;
    }
}
