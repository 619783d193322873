package dev.jbox.profile;

import dev.jbox.spec.SandboxSpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.tomlj.Toml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Whatever a profile file contains, loading it either succeeds with a profile that builds a
 * valid spec, or throws a ProfileException whose message has one well-formed line per problem.
 * Nothing else may escape: no NullPointerException, no InvalidPathException, no hang.
 */
class HostileProfileTest {
    private static Path dir;
    private static final Map<String, String> ENV = Map.of("HOME", "/home/h", "PWD", "/w", "DOTS", "../../..", "EMPTY", "");

    @BeforeContainer
    static void createDir() throws IOException {
        dir = Files.createTempDirectory("jbox-hostile");
        Files.writeString(dir.resolve("ok.toml"), "hostname = \"parent\"\n");
        Files.writeString(dir.resolve("loop.toml"), "extends = \"loop.toml\"\n");
    }

    @AfterContainer
    static void removeDir() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Property(tries = 300)
    void randomBytes(@ForAll @Size(max = 3000) byte[] bytes) throws IOException {
        assertOnlyProfileProblems(Files.write(dir.resolve("bytes.toml"), bytes));
    }

    @Property(tries = 300)
    void randomText(@ForAll @StringLength(max = 2000) String text) throws IOException {
        assertOnlyProfileProblems(write("text.toml", text));
    }

    @Property(tries = 300)
    void profileShapedNonsense(@ForAll("documents") String toml) throws IOException {
        assertOnlyProfileProblems(write("shaped.toml", toml));
    }

    /** Found by profileShapedNonsense: a missing parent's path was printed raw, newline and all. */
    @Example
    void anExtendsPathWithControlCharactersIsOneProblemOnOneLine() throws IOException {
        assertOnlyProfileProblems(write("newline.toml", "extends = \"a\\nb\"\n"));
        assertOnlyProfileProblems(write("newline-only.toml", "extends = \"\\n\"\n"));
    }

    @Property(tries = 40)
    void deepNesting(@ForAll @IntRange(min = 1, max = 20_000) int depth, @ForAll("nestings") String kind) throws IOException {
        String toml = switch (kind) {
            case "array" -> "command = " + "[".repeat(depth) + "]".repeat(depth) + "\n";
            case "inline" -> "env = " + "{ a = ".repeat(depth) + "1" + " }".repeat(depth) + "\n";
            case "dotted" -> "[plugins." + "a.".repeat(depth) + "b]\nx = 1\n";
            default -> "limits." + "x.".repeat(depth) + "memory = 1\n";
        };
        assertOnlyProfileProblems(write("deep.toml", toml));
    }

    @Property(tries = 10)
    void hugeKeysAndValues(@ForAll @IntRange(min = 1, max = 100_000) int length) throws IOException {
        String big = "k".repeat(length);
        assertOnlyProfileProblems(write("huge.toml", big + " = 1\nhostname = \"" + big + "\"\n[limits]\nmemory = \""
                + "9".repeat(Math.min(length, 5000)) + "t\"\n[[mount]]\nsource = \"" + "../".repeat(length / 3) + "\"\n"));
    }

    @Provide
    Arbitrary<String> nestings() {
        return Arbitraries.of("array", "inline", "dotted", "dotted-key");
    }

    @Provide
    Arbitrary<String> documents() {
        return line().list().ofMaxSize(25).map(lines -> String.join("\n", lines) + "\n");
    }

    private static final List<String> KEYS = List.of("command", "rootfs", "image", "read_only", "hostname", "workdir", "user",
            "userns", "env", "env_file", "stop_timeout", "name", "tty", "interactive", "rm", "detach", "extends", "mount",
            "network", "limits", "security", "plugins", "mode", "ports", "allow_host_loopback", "allow_host_abstract_sockets", "memory", "memory_swap",
            "cpus", "pids", "cpu_weight", "io_weight", "cgroup_manager", "seccomp", "cap_add", "cap_drop", "type", "source",
            "target", "options", "host_ip", "host_port", "sandbox_port", "protocol", "A", "memroy", "\"quoted key\"");

    private static final List<String> HEADERS = List.of("[network]", "[limits]", "[security]", "[env]", "[[mount]]",
            "[plugins.x]", "[plugins.x.y]", "[[network.ports]]", "[network.ports]", "[mount]", "[[limits]]", "[plugins]");

    private Arbitrary<String> line() {
        Arbitrary<String> assignment = Combinators.combine(key(), value(3)).as((k, v) -> k + " = " + v);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, assignment),
                net.jqwik.api.Tuple.of(2, Arbitraries.of(HEADERS)),
                net.jqwik.api.Tuple.of(1, hostileString().map(s -> "extends = " + quote(s))),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("extends = \"ok.toml\"", "extends = \"loop.toml\"", "# comment", "", "]", "= 1")));
    }

    private Arbitrary<String> key() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.of(KEYS)),
                net.jqwik.api.Tuple.of(1, Combinators.combine(Arbitraries.of(KEYS), Arbitraries.of(KEYS)).as((a, b) -> a + "." + b)),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12)));
    }

    private Arbitrary<String> value(int depth) {
        Arbitrary<String> scalar = Arbitraries.oneOf(
                hostileString().map(HostileProfileTest::quote),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.of("inf", "-inf", "nan", "1e308", "-0.0", "1.5", "0", "-1", "65536", "true", "false",
                        "1979-05-27T07:32:00Z", "07:32:00", "1979-05-27", "0x7fffffffffffffff", "99999999999999999999", "1e400"));
        if (depth == 0) return scalar;
        Arbitrary<String> array = value(depth - 1).list().ofMaxSize(4).map(l -> "[" + String.join(", ", l) + "]");
        Arbitrary<String> table = Combinators.combine(key(), value(depth - 1)).as((k, v) -> k + " = " + v)
                .list().ofMaxSize(3).map(l -> "{ " + String.join(", ", l) + " }");
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, scalar), net.jqwik.api.Tuple.of(1, array), net.jqwik.api.Tuple.of(1, table));
    }

    private Arbitrary<String> hostileString() {
        return Arbitraries.oneOf(
                Arbitraries.of("../../../../etc/passwd", "/", "", " ", "~", "~/", "~root", "${HOME}", "${DOTS}/etc", "${UNDEFINED}",
                        "${", "${}", "$", "$$", "/proc/self/mem", "/dev/zero", "/dev/stdin", "a\u0000b", "/a\u0000", "8080:80",
                        "[::1]:80:80/udp", "0:0", "-1", "512m", "1e30g", "-5g", "ALL", "cap_sys_admin", "slirp", "host", "bind",
                        "tmpfs", "single", "auto", "disabled", "default", "unconfined", "10s", "999999999999h", "ok.toml",
                        "loop.toml", dir.toString(), "\n", "\u202e", "日本語", "a".repeat(300)),
                Arbitraries.strings().ofMaxLength(40));
    }

    private static String quote(String s) {
        return "\"" + Toml.tomlEscape(s) + "\"";
    }

    private static Path write(String name, String text) throws IOException {
        return Files.write(dir.resolve(name), text.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertOnlyProfileProblems(Path file) {
        Profile profile;
        try {
            profile = new ProfileLoader(ENV).load(file);
        } catch (ProfileException e) {
            net.jqwik.api.statistics.Statistics.collect(e.problems().size() == 1 ? e.problems().getFirst().message().replaceAll("[:(\"`].*", "") : "several problems");
            List<String> lines = e.getMessage().lines().toList();
            assertEquals(e.problems().size(), lines.size(), "one line per problem:\n" + e.getMessage());
            for (Problem p : e.problems()) {
                assertFalse(p.message().isBlank(), "a problem says something");
                assertTrue(p.toString().startsWith(p.origin().file().toString()), "a problem names its file");
            }
            return;
        } catch (Throwable t) {
            fail("loading must throw only ProfileException, got " + t, t);
            return;
        }
        net.jqwik.api.statistics.Statistics.collect("loaded");
        // Whatever loads must build: the loader ran SandboxSpec's own validation.
        SandboxSpec.Builder builder = profile.specBuilder();
        if (profile.command() == null) builder.command("true");
        try {
            SpecRenderer.render(builder.build(), profile.plugins());
        } catch (Throwable t) {
            fail("a loaded profile must build and render, got " + t, t);
        }
    }
}
