package dev.jbox.profile;

import dev.jbox.JboxException;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Wrong profiles: each problem at FILE:LINE:COL, with the expected type or a suggestion, all of them at once. */
class ProfileErrorsTest extends ProfileFilesTest {
    private String at(String file, int line, int column) {
        return dir.resolve(file) + ":" + line + ":" + column + ": ";
    }

    private static void assertLines(String message, String... expected) {
        assertEquals(List.of(expected), message.lines().toList());
    }

    @Test
    void syntaxErrorsGiveLineAndColumn() {
        String message = files.error("syntax.toml", "hostname = \"a\"\ncommand = [\"sh\"\n");
        assertLines(message, at("syntax.toml", 3, 1)
                + "TOML syntax: Unexpected end of input, expected ] or a comma; the array opened at line 2, column 11 is unclosed");
    }

    @Test
    void everySyntaxErrorIsReported() {
        String message = files.error("syntax2.toml", "a = \nhostname = \"ok\"\nc = ]\n");
        assertEquals(2, message.lines().count(), message);
        assertTrue(message.startsWith(at("syntax2.toml", 1, 5) + "TOML syntax: "), message);
        assertTrue(message.contains("\n" + at("syntax2.toml", 3, 5) + "TOML syntax: "), message);
    }

    @Test
    void aKeyDefinedTwiceIsASyntaxError() {
        String message = files.error("twice.toml", "name = \"a\"\nname = \"b\"\n");
        assertLines(message, at("twice.toml", 2, 1) + "TOML syntax: name previously defined at line 1, column 1");
    }

    @Test
    void unknownKeysSuggestTheClosestKnownKey() {
        String message = files.error("typos.toml", """
                comand = ["a"]
                memory = "1g"
                [limits]
                mmeory = 1
                [netwrk]
                [[mount]]
                source = "/x"
                read_onyl = true
                [network]
                ports = [{ host_port = 1, sandbox_port = 2, proto = "udp" }]
                [security]
                totally_unrelated = 1
                """);
        assertLines(message,
                at("typos.toml", 1, 1) + "unknown key `comand` (did you mean `command`?)",
                at("typos.toml", 2, 1) + "unknown key `memory` (did you mean `limits.memory`?)",
                at("typos.toml", 4, 1) + "unknown key `limits.mmeory` (did you mean `limits.memory`?)",
                at("typos.toml", 5, 1) + "unknown key `netwrk` (did you mean `network`?)",
                at("typos.toml", 8, 1) + "unknown key `mount[0].read_onyl` (did you mean `mount.read_only`?)",
                at("typos.toml", 10, 45) + "unknown key `network.ports[0].proto` (did you mean `network.ports.protocol`?)",
                at("typos.toml", 12, 1) + "unknown key `security.totally_unrelated`");
    }

    @Test
    void wrongTypesNameTheExpectedType() {
        String message = files.error("types.toml", """
                command = "ls -l"
                read_only = "yes"
                env = ["A=b"]
                [limits]
                memory = true
                cpus = "2"
                pids = 1.5
                [network]
                ports = [8080]
                """);
        assertLines(message,
                at("types.toml", 1, 1) + "key `command`: expected an array of strings (argv), got a string",
                at("types.toml", 2, 1) + "key `read_only`: expected a boolean (true or false), got a string",
                at("types.toml", 3, 1) + "key `env`: expected a table, got an array",
                at("types.toml", 5, 1) + "key `limits.memory`: expected a string like \"512m\" or an integer (bytes), got a boolean",
                at("types.toml", 6, 1) + "key `limits.cpus`: expected a number like 1.5 (CPUs), got a string",
                at("types.toml", 7, 1) + "key `limits.pids`: expected an integer, got a float",
                at("types.toml", 9, 10) + "key `network.ports[0]`: expected a string like \"8080:80\" or a table like"
                        + " { host_port = 8080, sandbox_port = 80 }, got an integer");
    }

    @Test
    void wrongValuesSayWhatIsWrong() {
        String message = files.error("values.toml", """
                command = ["sh", 1]
                userns = "aut"
                stop_timeout = "10 sec"
                hostname = "bad_host"
                [limits]
                memory = "lots"
                cpu_weight = 0
                [network]
                mode = "slrp"
                [security]
                cap_add = ["net raw"]
                """);
        assertLines(message,
                at("values.toml", 1, 18) + "key `command[1]`: expected a string, got an integer",
                at("values.toml", 2, 1) + "key `userns`: expected one of \"single\", \"auto\", got \"aut\" (did you mean \"auto\"?)",
                at("values.toml", 3, 1) + "key `stop_timeout`: \"10 sec\" is not a duration: expected e.g. \"10s\", \"500ms\", \"1m30s\"",
                at("values.toml", 4, 1) + "key `hostname`: --hostname bad_host: expected letters, digits, '-' and '.', at most 64 characters",
                at("values.toml", 6, 1) + "key `limits.memory`: \"lots\" is not a size: expected e.g. \"512m\", \"2g\" or a number of bytes",
                at("values.toml", 7, 1) + "key `limits.cpu_weight`: expected an integer from 1 to 10000, got 0",
                at("values.toml", 9, 1) + "key `network.mode`: expected one of \"none\", \"host\", \"slirp\", \"slirp4netns\", \"pasta\", \"auto\","
                        + " got \"slrp\" (did you mean \"slirp\"?)",
                at("values.toml", 11, 12) + "key `security.cap_add[0]`: \"net raw\" is not a capability name like \"CAP_NET_RAW\" or \"ALL\"");
    }

    @Test
    void mountRules() {
        String message = files.error("mounts.toml", """
                [[mount]]
                type = "tmpfs"
                source = "/x"
                [[mount]]
                target = "/no-source"
                [[mount]]
                source = "/a"
                target = "relative"
                [[mount]]
                source = "/a"
                target = "/t"
                [[mount]]
                source = "/b"
                target = "/t/"
                [[mount]]
                type = "bind"
                source = "/c"
                options = "size=1m"
                """);
        assertLines(message,
                at("mounts.toml", 1, 1) + "key `mount[0]`: a tmpfs mount has no `source` (remove it, or use type = \"bind\")",
                at("mounts.toml", 4, 1) + "key `mount[1]`: a bind mount needs `source`, the host path to bind (type defaults to \"bind\")",
                at("mounts.toml", 8, 1) + "key `mount[2].target`: \"relative\" must be an absolute path (inside the sandbox)",
                at("mounts.toml", 12, 1) + "key `mount[4]`: /t is already the target of `mount[3]` at " + dir.resolve("mounts.toml")
                        + ":9:1 (one mount per target in a file)",
                at("mounts.toml", 15, 1) + "key `mount[5]`: `options` applies to tmpfs mounts; a bind mount takes `read_only`");
    }

    @Test
    void rulesAcrossKeys() {
        assertLines(files.error("both.toml", "rootfs = \"/r\"\nimage = \"alpine\"\n"),
                at("both.toml", 2, 1) + "key `image`: `rootfs` is given too, at " + dir.resolve("both.toml")
                        + ":1:1: a sandbox has one root filesystem, keep one of them");
        assertLines(files.error("ports.toml", "[network]\nports = [\"8080:80\"]\n"),
                at("ports.toml", 2, 1) + "key `network.ports`: publishing ports needs a userspace network: set network.mode = \"slirp\""
                        + " (or \"pasta\", \"auto\"); the mode here is the default, \"none\"");
        assertLines(files.error("abstract.toml", "[network]\nmode = \"pasta\"\nallow_host_abstract_sockets = true\n"),
                at("abstract.toml", 3, 1) + "key `network.allow_host_abstract_sockets`: only network.mode = \"host\" shares the host's"
                        + " abstract unix sockets (any other mode has its own); the mode here is \"pasta\"");
        assertLines(files.error("cg.toml", "[limits]\npids = 5\ncgroup_manager = \"disabled\"\n"),
                at("cg.toml", 3, 1) + "key `limits.cgroup_manager`: \"disabled\" cannot enforce the limits this profile sets:"
                        + " remove them or choose a cgroup manager");
    }

    @Test
    void unreadableFiles() throws Exception {
        Path missing = dir.resolve("missing.toml");
        ProfileLoader loader = new ProfileLoader(ProfileFiles.ENV);
        assertLines(assertThrows(ProfileException.class, () -> loader.load(missing)).getMessage(),
                missing + ": cannot read the profile: no such file");
        Path binary = Files.write(dir.resolve("binary.toml"), new byte[] {'a', '=', (byte) 0xff, (byte) 0xfe});
        assertLines(assertThrows(ProfileException.class, () -> loader.load(binary)).getMessage(),
                binary + ": a profile is UTF-8 text (TOML 1.0); this file is not");
        Path huge = Files.writeString(dir.resolve("huge.toml"), "#".repeat((int) ProfileLoader.MAX_BYTES + 1));
        assertTrue(assertThrows(ProfileException.class, () -> loader.load(huge)).getMessage()
                .startsWith(huge + ": a profile is at most 1024 KiB"));
        assertTrue(assertThrows(ProfileException.class, () -> loader.load(dir)).getMessage().startsWith(dir + ": cannot read the profile"));
        assertEquals("/dev/zero: a profile is at most 1024 KiB; this file is larger than 1024 KiB",
                assertThrows(ProfileException.class, () -> loader.load(Path.of("/dev/zero"))).getMessage(),
                "a device that never ends is cut off, not read into memory");
    }

    @Test
    void everyProblemIsReportedAndTheExitCodeIs125() {
        Path file = files.write("many.toml", "hostname = 1\nname = 2\nbogus = 3\n[limits]\npids = -1\n");
        ProfileException e = assertThrows(ProfileException.class, () -> new ProfileLoader(ProfileFiles.ENV).load(file));
        assertEquals(4, e.problems().size());
        assertEquals(List.of(1, 2, 3, 5), e.problems().stream().map(p -> p.origin().line()).toList());
        assertEquals(JboxException.EXIT_JBOX, e.exitCode());
        assertEquals(e.getMessage(), e.userMessage(), "each line carries its own fix; no hint glued to the last one");
    }

    @Test
    void controlCharactersInKeysCannotSplitAProblemIntoTwoLines() {
        String message = files.error("ctl.toml", "\"evil\\nkey\" = 1\n");
        assertLines(message, at("ctl.toml", 1, 1) + "unknown key `evil\\u000akey`");
    }

    @Test
    void nulCharactersAreRejected() {
        assertLines(files.error("nul.toml", "hostname = \"a\\u0000b\"\n"),
                at("nul.toml", 1, 1) + "key `hostname`: contains a NUL character (\\u0000)");
    }
}
