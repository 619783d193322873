package dev.jbox.profile;

import dev.jbox.spec.Limits;
import dev.jbox.spec.MountSpec;
import dev.jbox.spec.NetworkMode;
import dev.jbox.spec.RootFs;
import dev.jbox.spec.SandboxSpec;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code extends}: the merge rules, paths relative to each file, cycles and missing files. */
class ProfileExtendsTest extends ProfileFilesTest {
    @Test
    void childScalarsWinTablesMergeMountsAppendOrReplaceByTarget() {
        files.write("base/base.toml", """
                command = ["/bin/base"]
                hostname = "base"
                read_only = true
                env_file = "base.env"
                [env]
                A = "base"
                B = "base"
                [[mount]]
                source = "data"
                target = "/data"
                [[mount]]
                type = "tmpfs"
                target = "/data/cache"
                [[mount]]
                source = "/etc"
                target = "/host-etc"
                [network]
                mode = "slirp"
                ports = ["80:80"]
                [limits]
                memory = "1g"
                pids = 50
                [security]
                cap_drop = ["ALL"]
                [plugins.p]
                keep = 1
                nested = { x = 1, y = 2 }
                """);
        files.write("base/base.env", "FROM_ENV_FILE=base\n");
        Profile child = files.load("child.toml", """
                extends = "base/base.toml"
                command = ["/bin/child", "arg"]
                hostname = "child"
                [env]
                B = "child"
                C = "child"
                [[mount]]
                source = "other"
                target = "/data/"
                read_only = true
                [[mount]]
                type = "tmpfs"
                target = "/extra"
                [network]
                ports = ["8080:8080"]
                [limits]
                pids = 10
                [security]
                cap_add = ["NET_BIND_SERVICE"]
                [plugins.p]
                nested = { y = 3 }
                [plugins.q]
                new = true
                """);
        SandboxSpec spec = child.specBuilder().build();
        assertEquals(List.of("/bin/child", "arg"), spec.command(), "command: the child's, whole");
        assertEquals("child", spec.hostname(), "scalars: the child wins");
        assertEquals(true, spec.readOnly(), "what the child does not set is inherited");
        assertEquals(Map.of("FROM_ENV_FILE", "base", "A", "base", "B", "child", "C", "child"), spec.env(), "env: merged by name");
        assertEquals(List.of(
                new MountSpec.Bind(dir.resolve("other"), "/data", true),
                new MountSpec.Tmpfs("/data/cache", ""),
                new MountSpec.Bind(Path.of("/etc"), "/host-etc", false),
                new MountSpec.Tmpfs("/extra", "")), spec.mounts(),
                "mounts: the parent's then the child's; same target replaced in place; each path relative to its own file");
        assertEquals(NetworkMode.SLIRP, spec.network().mode(), "[network] merged key by key");
        assertEquals(List.of("0.0.0.0:8080:8080/tcp"), spec.network().ports().stream().map(Object::toString).toList(),
                "arrays: the child's replace the parent's");
        assertEquals(new Limits(1L << 30, null, null, 10L, null, null), spec.limits(), "[limits] merged key by key");
        assertEquals(Set.of("ALL"), spec.security().capDrop());
        assertEquals(Set.of("CAP_NET_BIND_SERVICE"), spec.security().capAdd());
        assertEquals(Map.of("p", Map.of("keep", 1L, "nested", Map.of("x", 1L, "y", 3L)), "q", Map.of("new", true)), child.plugins(),
                "plugin tables merged key by key at every depth");
        assertEquals(new Origin(dir.resolve("child.toml"), 2, 1), child.origins().get("command"));
        assertEquals(new Origin(dir.resolve("base/base.toml"), 3, 1), child.origins().get("read_only"));
    }

    @Test
    void aChainOfThreeAppliesGrandparentFirst() {
        files.write("a.toml", "hostname = \"a\"\nname = \"a\"\nworkdir = \"/a\"\n");
        files.write("b.toml", "extends = \"a.toml\"\nname = \"b\"\nworkdir = \"/b\"\n");
        SandboxSpec spec = files.load("c.toml", "extends = \"b.toml\"\nworkdir = \"/c\"\ncommand = [\"x\"]\n").specBuilder().build();
        assertEquals(List.of("a", "b", "/c"), List.of(spec.hostname(), spec.name(), spec.workdir()));
    }

    @Test
    void aChildImageReplacesAParentRootfs() {
        files.write("dir.toml", "rootfs = \"/roots/debian\"\n");
        assertEquals(new RootFs.Image("alpine"), files.load("img.toml", "extends = \"dir.toml\"\nimage = \"alpine\"\n").rootfs());
    }

    @Test
    void extendsIsExpandedAndRelativeToTheExtendingFile() {
        files.write("lib/base.toml", "hostname = \"from-lib\"\n");
        files.write("lib/mid.toml", "extends = \"base.toml\"\n");
        ProfileFiles withEnv = new ProfileFiles(dir, Map.of("LIB", dir.resolve("lib").toString()));
        assertEquals("from-lib", withEnv.load("top.toml", "extends = \"${LIB}/mid.toml\"\n").hostname());
    }

    @Test
    void aMissingParentIsReportedAtTheExtendsKey() {
        String message = files.error("child.toml", "# a comment\nextends = \"nope/base.toml\"\n");
        assertEquals(dir.resolve("child.toml") + ":2:1: key `extends`: cannot read " + dir.resolve("nope/base.toml") + ": no such file", message);
    }

    @Test
    void cyclesAreReportedWithTheWholeLoop() {
        files.write("one.toml", "extends = \"two.toml\"\n");
        files.write("two.toml", "\nextends = \"three.toml\"\n");
        files.write("three.toml", "\n\nextends = \"one.toml\"\n");
        String message = new ProfileFilesError(files).of("one.toml");
        assertEquals(dir.resolve("three.toml") + ":3:1: key `extends`: cycle: one.toml → two.toml → three.toml → one.toml"
                + " (each file extends the next)", message);
        assertEquals(dir.resolve("self.toml") + ":1:1: key `extends`: cycle: self.toml → self.toml (each file extends the next)",
                files.error("self.toml", "extends = \"self.toml\"\n"));
    }

    @Test
    void problemsInEveryFileOfTheChainAreReportedTogether() {
        files.write("parent.toml", "hostnam = \"x\"\n");
        String message = files.error("child.toml", "extends = \"parent.toml\"\nread_only = 1\n");
        assertEquals(List.of(
                dir.resolve("child.toml") + ":2:1: key `read_only`: expected a boolean (true or false), got an integer",
                dir.resolve("parent.toml") + ":1:1: unknown key `hostnam` (did you mean `hostname`?)"), message.lines().toList());
    }

    @Test
    void extendsMustBeAString() {
        assertEquals(dir.resolve("arr.toml") + ":1:1: key `extends`: expected a string (the path of another profile), got an array",
                files.error("arr.toml", "extends = [\"a.toml\"]\n"));
    }

    /** Loads a file already written. */
    private record ProfileFilesError(ProfileFiles files) {
        String of(String name) {
            return org.junit.jupiter.api.Assertions.assertThrows(ProfileException.class,
                    () -> files.load(files.dir().resolve(name))).getMessage();
        }
    }
}
