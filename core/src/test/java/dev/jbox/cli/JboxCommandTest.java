package dev.jbox.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** picocli's model of jbox holds the subcommands a command line can need, under their own names. */
class JboxCommandTest {
    static Set<String> subcommands(String... args) {
        return JboxCommand.commandLine(args).getSubcommands().keySet();
    }

    @Test
    void eachSubcommandIsListedUnderTheNameItsModelGives() {
        for (Map.Entry<String, java.util.function.Supplier<Object>> s : JboxCommand.SUBCOMMANDS) {
            assertEquals(s.getKey(), new CommandLine(s.getValue().get()).getCommandName());
        }
    }

    @Test
    void aNamedSubcommandComesAlone() {
        assertEquals(Set.of("ps"), subcommands("ps", "-a"));
        assertEquals(Set.of("profile"), subcommands("--log-level=debug", "profile", "check", "x.toml"));
        assertEquals(Set.of("run"), subcommands("run", "--help"));
        assertEquals(Set.of("ps"), subcommands("--log-level", "info", "ps"), "info is the level, not the subcommand");
    }

    @Test
    void helpCompletionTyposAndOtherCommandsSeeThemAll() {
        Set<String> all = Set.copyOf(JboxCommand.SUBCOMMANDS.stream().map(Map.Entry::getKey).toList());
        for (List<String> args : List.of(List.<String>of(), List.of("--help"), List.of("help", "ps"), List.of("completion", "bash"),
                List.of("rn"), List.of("images"))) {
            assertEquals(all, subcommands(args.toArray(String[]::new)), args.toString());
        }
        assertEquals(all, JboxCommand.commandLine().getSubcommands().keySet());
    }
}
