package dev.jbox.profile;

import dev.jbox.spec.CgroupManager;
import dev.jbox.spec.Identity;
import dev.jbox.spec.Limits;
import dev.jbox.spec.NetworkMode;
import dev.jbox.spec.NetworkSpec;
import dev.jbox.spec.PortMapping;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.spec.SecuritySpec;
import dev.jbox.spec.UserNamespaceMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The dry-run text: stable, complete, and a profile that loads back into the same spec. */
class SpecRendererTest {
    @TempDir
    Path dir;

    static SandboxSpec full() {
        return SandboxSpec.builder()
                .command("/bin/sh", "-c", "echo \"$HOME\"\ttab")
                .rootfs(Path.of("/roots/$weird"))
                .readOnly(true)
                .hostname("box")
                .workdir("/work")
                .identity(new Identity(UserNamespaceMode.AUTO, 1000, 100))
                .env("B", "2").env("A", "x\ny")
                .bind(Path.of("/src"), "/src", true)
                .mount(new dev.jbox.spec.MountSpec.Tmpfs("/tmp/build", "size=64m"))
                .network(new NetworkSpec(NetworkMode.SLIRP, List.of(new PortMapping("127.0.0.1", 8080, 80, "tcp")), true))
                .limits(new Limits(512L << 20, -1L, 1.5, 64L, 100, null))
                .cgroupManager(CgroupManager.SYSTEMD)
                .security(new SecuritySpec(SecuritySpec.Seccomp.UNCONFINED, Set.of("CAP_NET_RAW", "CAP_CHOWN"), Set.of("ALL")))
                .stopTimeout(Duration.ofMillis(2500))
                .name("demo")
                .build();
    }

    @Test
    void rendersEveryFieldInAFixedOrder() {
        assertEquals("""
                # resolved sandbox spec
                command = ["/bin/sh", "-c", "echo \\"$HOME\\"\\ttab"]
                rootfs = "/roots/$$weird"
                read_only = true
                hostname = "box"
                workdir = "/work"
                user = "1000:100"
                userns = "auto"
                stop_timeout = "2500ms"
                name = "demo"
                # stdin = inherit, stdout = inherit, stderr = inherit, die_with_parent = false

                [env]
                B = "2"
                A = "x\\ny"

                [[mount]]
                type = "bind"
                source = "/src"
                target = "/src"
                read_only = true

                [[mount]]
                type = "tmpfs"
                target = "/tmp/build"
                options = "size=64m"

                [network]
                mode = "slirp"
                ports = ["127.0.0.1:8080:80/tcp"]
                allow_host_loopback = true
                allow_host_abstract_sockets = false

                [limits]
                memory = "512m"
                memory_swap = -1
                cpus = 1.5
                pids = 64
                cpu_weight = 100
                cgroup_manager = "systemd"

                [security]
                seccomp = "unconfined"
                cap_add = ["CAP_CHOWN", "CAP_NET_RAW"]
                cap_drop = ["ALL"]
                """, SpecRenderer.render(full()));
    }

    @Test
    void defaultsAreWrittenOutOrNamedInComments() {
        assertEquals("""
                # resolved sandbox spec
                command = ["true"]
                # rootfs: the host's / (bound read-only)
                read_only = false
                # hostname: default (jbox)
                # workdir: default (the current directory on the host root, / otherwise)
                user = "0:0"
                userns = "single"
                stop_timeout = "10s"
                # name: none
                # stdin = inherit, stdout = inherit, stderr = inherit, die_with_parent = false

                [network]
                mode = "none"
                ports = []
                allow_host_loopback = false
                allow_host_abstract_sockets = false

                [limits]
                cgroup_manager = "auto"

                [security]
                seccomp = "default"
                cap_add = []
                cap_drop = []
                """, SpecRenderer.render(SandboxSpec.builder().command("true").build()));
    }

    @Test
    void pluginSectionsAreAppended() {
        String text = SpecRenderer.render(SandboxSpec.builder().command("true").build(),
                Map.of("net-slirp", Map.of("mtu", 1500L, "dns", List.of("1.1.1.1"), "odd key", Map.of("x", true))));
        assertEquals(true, text.contains("\n[plugins.net-slirp]\n"), text);
        assertEquals(true, text.contains("\"odd key\" = { x = true }\n"), text);
    }

    @Test
    void theOutputLoadsBackIntoTheSameSpec() throws Exception {
        assertRoundTrip(full(), dir);
        assertRoundTrip(SandboxSpec.builder().command("true").build(), dir);
        assertRoundTrip(SandboxSpec.builder().image("alpine:3").build(), dir);
        assertRoundTrip(SandboxSpec.builder().rootfs(new dev.jbox.spec.RootFs.Image("alpine:3",
                Map.of("overlay.mount_program", "fuse-overlayfs", "odd.key with space", "v"))).build(), dir);
    }

    @Test
    void storageOptionsAreATableOfDottedNames() {
        String text = SpecRenderer.render(SandboxSpec.builder().rootfs(new dev.jbox.spec.RootFs.Image("alpine:3",
                Map.of("overlay.mount_program", "fuse-overlayfs"))).build());
        assertEquals(true, text.contains("\n[storage_opt]\noverlay.mount_program = \"fuse-overlayfs\"\n"), text);
    }

    /** render → write → load → build gives {@code spec} again (stdio and die-with-parent are not profile keys). */
    static void assertRoundTrip(SandboxSpec spec, Path dir) throws Exception {
        String text = SpecRenderer.render(spec);
        Path file = java.nio.file.Files.writeString(java.nio.file.Files.createTempFile(dir, "rendered", ".toml"), text);
        SandboxSpec back = new ProfileLoader(Map.of()).load(file).specBuilder()
                .stdin(spec.stdin()).stdout(spec.stdout()).stderr(spec.stderr()).dieWithParent(spec.dieWithParent()).build();
        assertEquals(spec, back, text);
    }
}
