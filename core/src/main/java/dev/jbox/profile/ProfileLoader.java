package dev.jbox.profile;

import dev.jbox.spec.CgroupManager;
import dev.jbox.spec.NetworkMode;
import dev.jbox.spec.RootFs;
import dev.jbox.spec.SpecException;
import org.tomlj.Toml;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseOptions;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlVersion;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads a TOML profile, follows its {@code extends} chain and returns the merged {@link Profile}.
 * Every problem in every file of the chain is collected and thrown together as one
 * {@link ProfileException}; nothing else escapes, whatever the files contain.
 *
 * <pre>{@code
 * Profile profile = new ProfileLoader().load(Path.of("build.toml"));
 * SandboxSpec spec = profile.overriddenBy(flagsTheUserGave).specBuilder().build();
 * }</pre>
 */
public final class ProfileLoader {
    /** Profiles are short; a bigger file is a mistake (or an attack), not a profile. */
    static final int MAX_BYTES = 1 << 20;
    private static final TomlParseOptions TOML = TomlParseOptions.defaults().withVersion(TomlVersion.V1_0_0);

    private final Map<String, String> environment;
    private final PathExpander expander;

    /** Expands {@code ${VAR}} from jbox's own environment; {@code ${PWD}} falls back to the working directory. */
    public ProfileLoader() {
        this(defaultEnvironment());
    }

    /** @param environment the variables {@code ${NAME}} and {@code ~} ({@code HOME}) expand to */
    public ProfileLoader(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
        this.expander = new PathExpander(environment);
    }

    private static Map<String, String> defaultEnvironment() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putIfAbsent("PWD", System.getProperty("user.dir"));
        return env;
    }

    /**
     * The profile in {@code file} merged over the ones it extends, checked as a whole: it must
     * give a valid sandbox (with a stand-in command when it has none, since the command usually
     * comes from the command line).
     */
    public Profile load(Path file) {
        List<Problem> problems = new ArrayList<>();
        Profile profile = loadChain(file, new ArrayList<>(), problems);
        if (problems.isEmpty()) checkWhole(profile, file, problems);
        if (!problems.isEmpty()) throw new ProfileException(problems);
        return profile;
    }

    /** {@code file} over its ancestors; {@code chain} holds the real paths of the files that extend it, for cycles. */
    private Profile loadChain(Path file, List<Path> chain, List<Problem> problems) {
        ProfileSource source = new ProfileSource(file, expander);
        TomlParseResult toml = parse(file, source);
        if (toml == null) {
            problems.addAll(source.problems());
            return Profile.EMPTY;
        }
        ProfileReader.Layer layer = ProfileReader.read(toml, source, environment);
        problems.addAll(source.problems());
        if (layer.extendsPath() == null) return layer.profile();
        Path parent;
        try {
            parent = file.resolveSibling(layer.extendsPath()).normalize();
        } catch (InvalidPathException e) {
            problems.add(Problem.of(layer.extendsOrigin(), "key `extends`: \"" + layer.extendsPath() + "\" is not a valid path"));
            return layer.profile();
        }
        List<Path> extended = new ArrayList<>(chain);
        extended.add(realPath(file));
        if (extended.contains(realPath(parent))) {
            problems.add(Problem.of(layer.extendsOrigin(), "key `extends`: cycle: " + cycle(extended, realPath(parent))));
            return layer.profile();
        }
        if (!Files.isRegularFile(parent)) {
            problems.add(Problem.of(layer.extendsOrigin(), "key `extends`: cannot read " + parent + ": "
                    + (Files.exists(parent) ? "not a regular file" : "no such file")));
            return layer.profile();
        }
        return loadChain(parent, extended, problems).overriddenBy(layer.profile());
    }

    /** The parsed file, or null with the problems (unreadable, not UTF-8, syntax errors) recorded in {@code source}. */
    private static TomlParseResult parse(Path file, ProfileSource source) {
        String text;
        try {
            text = TextFiles.read(file, MAX_BYTES);
        } catch (TextFiles.TooLarge e) {
            source.problem(Origin.of(file), "a profile is at most " + (MAX_BYTES >> 10) + " KiB; this file is " + e.getMessage());
            return null;
        } catch (CharacterCodingException e) {
            source.problem(Origin.of(file), "a profile is UTF-8 text (TOML 1.0); this file is not");
            return null;
        } catch (IOException e) {
            source.problem(Origin.of(file), "cannot read the profile: " + IoErrors.describe(e));
            return null;
        }
        TomlParseResult toml = Toml.parse(text, TOML);
        for (TomlParseError error : toml.errors()) {
            source.problem(Origin.of(file, error.position()), "TOML syntax: " + Texts.display(error.getMessage()));
        }
        return toml.hasErrors() ? null : toml;
    }

    /** Rules that tie keys together, checked on the merged profile and reported where the deciding key is written. */
    private static void checkWhole(Profile profile, Path file, List<Problem> problems) {
        Map<String, Origin> at = profile.origins();
        var network = profile.network();
        if (network.ports() != null && !network.ports().isEmpty()
                && (network.mode() == null || !network.mode().needsPlugin())) {
            problems.add(Problem.of(at.getOrDefault("network.ports", Origin.of(file)), "key `network.ports`: publishing ports needs a"
                    + " userspace network: set network.mode = \"slirp\" (or \"pasta\", \"auto\"); the mode here is " + modeHere(network)));
            return;
        }
        if (Boolean.TRUE.equals(network.allowHostAbstractSockets()) && network.mode() != NetworkMode.HOST) {
            problems.add(Problem.of(at.getOrDefault("network.allow_host_abstract_sockets", Origin.of(file)), "key `network.allow_host_abstract_sockets`:"
                    + " only network.mode = \"host\" shares the host's abstract unix sockets (any other mode has its own); the mode here is "
                    + modeHere(network)));
            return;
        }
        if (!profile.limits().isEmpty() && profile.cgroupManager() == CgroupManager.DISABLED) {
            problems.add(Problem.of(at.getOrDefault("limits.cgroup_manager", Origin.of(file)),
                    "key `limits.cgroup_manager`: \"disabled\" cannot enforce the limits this profile sets: remove them or choose a cgroup manager"));
            return;
        }
        try {
            var builder = profile.specBuilder();
            if (profile.command() == null && !(profile.rootfs() instanceof RootFs.Image)) builder.command("true");
            builder.build();
        } catch (SpecException e) {
            problems.add(Problem.of(Origin.of(file), e.getMessage()));
        }
    }

    private static String modeHere(Profile.Network network) {
        return network.mode() == null ? "the default, \"none\"" : "\"" + network.mode().label() + "\"";
    }

    private static Path realPath(Path file) {
        try {
            return file.toRealPath();
        } catch (IOException e) {
            return file.toAbsolutePath().normalize();
        }
    }

    private static String cycle(List<Path> chain, Path repeated) {
        StringBuilder out = new StringBuilder();
        for (Path p : chain.subList(chain.indexOf(repeated), chain.size())) out.append(p.getFileName()).append(" → ");
        return out.append(repeated.getFileName()).append(" (each file extends the next)").toString();
    }
}
