package dev.jbox.profile;

import dev.jbox.spec.CgroupManager;
import dev.jbox.spec.Identity;
import dev.jbox.spec.Limits;
import dev.jbox.spec.MountSpec;
import dev.jbox.spec.NetworkMode;
import dev.jbox.spec.NetworkSpec;
import dev.jbox.spec.PortMapping;
import dev.jbox.spec.RootFs;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.spec.SecuritySpec;
import dev.jbox.spec.UserNamespaceMode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every profile key lands in the right SandboxSpec field (or Profile field for what the spec does not hold). */
class ProfileKeysTest extends ProfileFilesTest {
    private static final String EVERY_KEY = """
            command = ["/bin/sh", "-c", "echo $HOME ${DATA}"]
            rootfs = "roots/alpine"
            read_only = true
            hostname = "box.example"
            workdir = "/work"
            user = "1000:100"
            userns = "auto"
            env_file = "vars.env"
            stop_timeout = "1m30s"
            name = "demo-1"
            tty = true
            interactive = true
            rm = false
            detach = true

            [env]
            GREETING = "hello"
            DEBUG = 1
            RATIO = 0.5
            VERBOSE = true
            FROM_FILE = "overridden"

            [[mount]]
            type = "bind"
            source = "${DATA}/in"
            target = "/in"
            read_only = true

            [[mount]]
            source = "~/out"
            target = "/out"

            [[mount]]
            type = "tmpfs"
            target = "/scratch"
            options = "size=64m,mode=1777"

            [network]
            mode = "slirp"
            ports = ["8080:80", "127.0.0.1:5353:53/udp", { host_ip = "::1", host_port = 9000, sandbox_port = 90, protocol = "udp" }]
            allow_host_loopback = true

            [limits]
            memory = "512m"
            memory_swap = "1g"
            cpus = 1.5
            pids = 100
            cpu_weight = 200
            io_weight = 300
            cgroup_manager = "cgroupfs"

            [security]
            seccomp = "seccomp.json"
            cap_add = ["net_bind_service"]
            cap_drop = ["ALL"]

            [plugins.net-slirp]
            mtu = 1500
            dns = ["1.1.1.1"]
            [plugins.net-slirp.extra]
            since = 2024-01-02
            """;

    @Test
    void everyKeyMapsToItsSpecField() {
        files.write("vars.env", "# comment\nFROM_FILE=file\nONLY_FILE=a=b\n\n  HOME\nUNSET_ON_HOST\n");
        Profile profile = files.load("every.toml", EVERY_KEY);
        SandboxSpec spec = profile.specBuilder().build();

        assertEquals(List.of("/bin/sh", "-c", "echo $HOME ${DATA}"), spec.command(), "command is never expanded");
        assertEquals(new RootFs.Directory(dir.resolve("roots/alpine")), spec.rootfs(), "rootfs is relative to the profile");
        assertTrue(spec.readOnly());
        assertEquals("box.example", spec.hostname());
        assertEquals("/work", spec.workdir());
        assertEquals(new Identity(UserNamespaceMode.AUTO, 1000, 100), spec.identity());
        assertEquals(Duration.ofSeconds(90), spec.stopTimeout());
        assertEquals("demo-1", spec.name());
        assertEquals(Map.of("FROM_FILE", "overridden", "ONLY_FILE", "a=b", "HOME", "/home/alice",
                "GREETING", "hello", "DEBUG", "1", "RATIO", "0.5", "VERBOSE", "true"), spec.env());
        assertEquals(List.of(
                new MountSpec.Bind(Path.of("/srv/data/in"), "/in", true),
                new MountSpec.Bind(Path.of("/home/alice/out"), "/out", false),
                new MountSpec.Tmpfs("/scratch", "size=64m,mode=1777")), spec.mounts());
        assertEquals(new NetworkSpec(NetworkMode.SLIRP, List.of(
                new PortMapping("0.0.0.0", 8080, 80, "tcp"),
                new PortMapping("127.0.0.1", 5353, 53, "udp"),
                new PortMapping("::1", 9000, 90, "udp")), true), spec.network());
        assertEquals(new Limits(512L << 20, 1L << 30, 1.5, 100L, 200, 300), spec.limits());
        assertEquals(CgroupManager.CGROUPFS, spec.cgroupManager());
        assertEquals(new SecuritySpec(new SecuritySpec.Seccomp.ProfileFile(dir.resolve("seccomp.json")),
                Set.of("CAP_NET_BIND_SERVICE"), Set.of("ALL")), spec.security());

        assertEquals(new Profile.RunOptions(true, true, false, true), profile.run());
        Map<String, Object> slirp = profile.plugins().get("net-slirp");
        assertEquals(1500L, slirp.get("mtu"));
        assertEquals(List.of("1.1.1.1"), slirp.get("dns"));
        assertEquals(Map.of("since", LocalDate.of(2024, 1, 2)), slirp.get("extra"));
    }

    @Test
    void originsSayWhereEachKeyIsWritten() {
        files.write("vars.env", "");
        Profile profile = files.load("every.toml", EVERY_KEY);
        assertEquals(new Origin(dir.resolve("every.toml"), 3, 1), profile.origins().get("read_only"));
        assertEquals(new Origin(dir.resolve("every.toml"), 44, 1), profile.origins().get("limits.memory"));
    }

    @Test
    void anEmptyProfileChangesNothing() {
        Profile profile = files.load("empty.toml", "# nothing\n");
        SandboxSpec defaults = SandboxSpec.builder().command("true").build();
        assertEquals(defaults, profile.specBuilder().command("true").build());
        assertTrue(profile.plugins().isEmpty());
        assertEquals(new Profile.RunOptions(null, null, null, null), profile.run());
    }

    @Test
    void imageInsteadOfRootfs() {
        SandboxSpec spec = files.load("img.toml", "image = \"alpine:3.20\"\n").specBuilder().build();
        assertEquals(new RootFs.Image("alpine:3.20"), spec.rootfs());
        assertEquals(List.of(), spec.command(), "an image may bring its own command");
    }

    @Test
    void storageOptionsGoWithTheImageByPodmansNamesAndMergeByName() {
        Profile base = files.load("base.toml", """
                image = "alpine:3.20"
                [storage_opt]
                overlay.mount_program = "fuse-overlayfs"
                "other.option" = "kept"
                """);
        assertEquals(new RootFs.Image("alpine:3.20", Map.of("overlay.mount_program", "fuse-overlayfs", "other.option", "kept")),
                base.specBuilder().build().rootfs());
        Profile flags = Profile.builder().storageOption("overlay.mount_program", "/opt/fuse-overlayfs").build();
        assertEquals(Map.of("overlay.mount_program", "/opt/fuse-overlayfs", "other.option", "kept"),
                ((RootFs.Image) base.overriddenBy(flags).specBuilder().build().rootfs()).storageOptions());
        Profile directory = Profile.builder().rootfs(new RootFs.Directory(Path.of("/srv/root"))).build();
        assertEquals(new RootFs.Directory(Path.of("/srv/root")), base.overriddenBy(directory).specBuilder().command("true").build().rootfs(),
                "a directory root has no storage to configure");
        ProfileException wrong = org.junit.jupiter.api.Assertions.assertThrows(ProfileException.class,
                () -> files.load("wrong.toml", "image = \"a\"\n[storage_opt]\noverlay.mount_program = 1\n"));
        assertTrue(wrong.getMessage().contains("option overlay.mount_program: expected a string"), wrong.getMessage());
    }

    @Test
    void alternativeSpellings() {
        Profile profile = files.load("alt.toml", """
                user = 1000
                stop_timeout = 5
                env_file = []
                [network]
                mode = "SLIRP4NETNS"
                [limits]
                memory = 1048576
                memory_swap = -1
                cpus = 2
                [security]
                seccomp = "unconfined"
                cap_drop = ["CAP_NET_RAW", "sys_admin"]
                """);
        SandboxSpec spec = profile.specBuilder().command("true").build();
        assertEquals(new Identity(UserNamespaceMode.SINGLE, 1000, 1000), spec.identity());
        assertEquals(Duration.ofSeconds(5), spec.stopTimeout());
        assertEquals(NetworkMode.SLIRP, spec.network().mode());
        assertEquals(new Limits(1048576L, -1L, 2.0, null, null, null), spec.limits());
        assertEquals(SecuritySpec.Seccomp.UNCONFINED, spec.security().seccomp());
        assertEquals(Set.of("CAP_NET_RAW", "CAP_SYS_ADMIN"), spec.security().capDrop());
    }

    @Test
    void hostAbstractSocketsAreAllowedOnlyWithTheHostNetwork() {
        SandboxSpec spec = files.load("x11.toml", "[network]\nmode = \"host\"\nallow_host_abstract_sockets = true\n").specBuilder().command("true").build();
        assertEquals(new NetworkSpec(NetworkMode.HOST, List.of(), false, true), spec.network());
        assertTrue(!spec.network().blocksHostAbstractSockets());
        SandboxSpec blocked = files.load("host.toml", "[network]\nmode = \"host\"\n").specBuilder().command("true").build();
        assertTrue(blocked.network().blocksHostAbstractSockets(), "blocked unless allowed");
    }

    @Test
    void aBindMountWithoutTargetMountsAtTheSamePath() {
        SandboxSpec spec = files.load("same.toml", """
                [[mount]]
                source = "${PWD}"
                """).specBuilder().command("true").build();
        assertEquals(List.of(new MountSpec.Bind(Path.of("/work/project"), "/work/project", false)), spec.mounts());
    }

    @Test
    void unsetKeysKeepTheSpecDefaults() {
        Profile profile = files.load("partial.toml", "[limits]\npids = 10\n");
        assertNull(profile.command());
        SandboxSpec spec = profile.specBuilder().command("true").build();
        assertEquals(CgroupManager.AUTO, spec.cgroupManager());
        assertEquals(NetworkSpec.NONE, spec.network());
        assertEquals(Identity.ROOT, spec.identity());
    }
}
