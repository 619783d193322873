package dev.jbox.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code ./jbox} picks the AOT cache trained with plugins when a run command line names an option a
 * plugin serves (its {@code uses_plugins}): the options it lists must be jbox run's options, so a
 * renamed option cannot leave those runs on the plain cache unnoticed.
 */
class LauncherScriptTest {
    private static final Path SCRIPT = Path.of("..", "jbox");  // Maven runs tests in core/

    @Test
    void theOptionsThatPickThePluginsCacheAreRunOptions() throws IOException {
        String script = Files.readString(SCRIPT);
        Matcher function = Pattern.compile("uses_plugins\\(\\) \\{.*?\\n}", Pattern.DOTALL).matcher(script);
        assertTrue(function.find(), "uses_plugins() in " + SCRIPT);
        Set<String> names = new HashSet<>();
        for (RunOption o : RunOptions.ALL) names.addAll(o.names());
        // Its case arms: "      --image|--image=*|-p*|...)", an option name before any = or *.
        List<String> listed = Pattern.compile("(?m)^\\s+(-[^)\\s]*)\\)").matcher(function.group()).results()
                .flatMap(arm -> List.of(arm.group(1).split("\\|")).stream())
                .map(pattern -> pattern.replaceAll("[=*].*", "")).filter(n -> !n.equals("--")).distinct().toList();
        assertTrue(listed.containsAll(List.of("--image", "--network", "--publish", "--memory")), listed.toString());
        for (String name : listed) assertTrue(names.contains(name), "./jbox's uses_plugins names " + name + ", which jbox run does not have");
    }
}
