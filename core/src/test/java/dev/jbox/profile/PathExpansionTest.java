package dev.jbox.profile;

import dev.jbox.spec.MountSpec;
import dev.jbox.spec.RootFs;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.spec.SecuritySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code ${VAR}} and {@code ~} in path values only, relative paths against the profile's directory. */
class PathExpansionTest {
    private final PathExpander expander = new PathExpander(Map.of("HOME", "/home/alice", "A", "x", "EMPTY", ""));

    @Test
    void expandsVariablesTildeAndDollarDollar() {
        assertEquals("/home/alice", expander.expand("~"));
        assertEquals("/home/alice/src", expander.expand("~/src"));
        assertEquals("~user/src", expander.expand("~user/src"), "only a leading ~ or ~/ means $HOME");
        assertEquals("/a/~/b", expander.expand("/a/~/b"));
        assertEquals("/x/x-x/", expander.expand("/${A}/${A}-${A}${EMPTY}/"));
        assertEquals("/price$5/${A}", expander.expand("/price$5/$${A}"), "a lone $ stays, $$ is a literal $");
    }

    @Test
    void anUndefinedVariableIsAnErrorNamingIt() {
        assertEquals("${NOPE}: environment variable NOPE is not set (set it, or write $$ for a literal $)",
                assertThrows(InvalidValue.class, () -> expander.expand("/a/${NOPE}/b")).getMessage());
        assertEquals("~: environment variable HOME is not set",
                assertThrows(InvalidValue.class, () -> new PathExpander(Map.of()).expand("~/x")).getMessage());
        assertEquals("unterminated ${ in \"/a/${B\" (write $$ for a literal $)",
                assertThrows(InvalidValue.class, () -> expander.expand("/a/${B")).getMessage());
        assertEquals("${1X} is not a variable name (letters, digits and '_'; write $$ for a literal $)",
                assertThrows(InvalidValue.class, () -> expander.expand("${1X}")).getMessage());
    }

    @Test
    void resolvesRelativePathsAgainstTheBaseAndNormalizes() {
        assertEquals(Path.of("/profiles/roots/x"), expander.resolve("roots/${A}", Path.of("/profiles")));
        assertEquals(Path.of("/etc"), expander.resolve("../../../etc", Path.of("/profiles")));
        assertEquals(Path.of("/abs"), expander.resolve("/abs", Path.of("/profiles")));
        assertEquals("the path is empty", assertThrows(InvalidValue.class, () -> expander.resolve("${EMPTY}", Path.of("/p"))).getMessage());
    }

    @Test
    void pathKeysAreExpandedButCommandAndEnvAreNot(@TempDir Path dir) {
        ProfileFiles files = new ProfileFiles(dir, Map.of("HOME", "/home/alice", "PWD", "/work/project", "SECCOMP", "/etc/jbox"));
        files.write("vars.env", "X=1\n");
        SandboxSpec spec = files.load("p.toml", """
                command = ["echo", "${HOME}", "~", "$$"]
                rootfs = "~/roots/debian"
                workdir = "${PWD}/sub/.."
                env_file = "~/../../${PWD}/../../%s/vars.env"
                [env]
                LITERAL = "${HOME} ~ $$"
                [[mount]]
                source = "${PWD}"
                target = "${PWD}"
                [[mount]]
                type = "tmpfs"
                target = "~/cache"
                [security]
                seccomp = "${SECCOMP}/strict.json"
                """.formatted(dir)).specBuilder().build();
        assertEquals(List.of("echo", "${HOME}", "~", "$$"), spec.command());
        assertEquals(new RootFs.Directory(Path.of("/home/alice/roots/debian")), spec.rootfs());
        assertEquals("/work/project", spec.workdir());
        assertEquals(Map.of("X", "1", "LITERAL", "${HOME} ~ $$"), spec.env());
        assertEquals(List.of(new MountSpec.Bind(Path.of("/work/project"), "/work/project", false),
                new MountSpec.Tmpfs("/home/alice/cache", "")), spec.mounts());
        assertEquals(new SecuritySpec.Seccomp.ProfileFile(Path.of("/etc/jbox/strict.json")), spec.security().seccomp());
    }

    @Test
    void anUndefinedVariableInAProfileIsReportedWhereItIsUsed(@TempDir Path dir) {
        ProfileFiles files = new ProfileFiles(dir, Map.of());
        assertEquals(List.of(
                dir.resolve("p.toml") + ":1:1: key `rootfs`: ${ROOTS}: environment variable ROOTS is not set (set it, or write $$ for a literal $)",
                dir.resolve("p.toml") + ":3:1: key `mount[0].source`: ~: environment variable HOME is not set"),
                files.error("p.toml", "rootfs = \"${ROOTS}/x\"\n[[mount]]\nsource = \"~/x\"\n").lines().toList());
    }
}
