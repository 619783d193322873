package dev.jbox.cli;

import dev.jbox.profile.ProfileCheck;
import dev.jbox.profile.ProfileLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "profile", mixinStandardHelpOptions = true, description = "Work with TOML profiles.",
        subcommands = ProfileCommand.Check.class)
final class ProfileCommand {
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Validate profiles (syntax, keys, types, extends chains, the resulting spec).",
            footer = {"", "Examples:", "  jbox profile check examples/profiles/*.toml",
                    "", "Exit status: 0 when every file is valid, 125 otherwise (each problem as FILE:LINE:COL: message)."})
    static final class Check implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", arity = "1..*", description = "Profiles to check.")
        List<Path> files;

        @Override
        public Integer call() {
            List<ProfileCheck.Result> results = new ProfileCheck(new ProfileLoader()).check(files);
            for (ProfileCheck.Result r : results) (r.ok() ? System.out : System.err).println(r.report());
            return ProfileCheck.exitCode(results);
        }
    }
}
