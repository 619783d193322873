package dev.jbox.plugin.net;

import dev.jbox.JboxException;
import dev.jbox.linux.Linux;
import dev.jbox.spec.Identity;
import dev.jbox.spec.MountSpec;
import dev.jbox.spec.NetworkMode;
import dev.jbox.spec.NetworkSpec;
import dev.jbox.spec.PortMapping;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.spec.UserNamespaceMode;
import dev.jbox.spi.NetworkSetup;
import dev.jbox.spi.SandboxContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** prepare() before any process exists: checks, generated files, cleanup. No privileges needed. */
class NetSlirpProviderTest {
    static SandboxContext context(Path runtime, SandboxSpec spec) {
        return new SandboxContext("f00d", spec, runtime, Linux.getuid(), Linux.getgid());
    }

    static SandboxSpec spec(NetworkMode mode, PortMapping... ports) {
        return SandboxSpec.builder().command("true").hostname("web").network(new NetworkSpec(mode, List.of(ports), false)).build();
    }

    static NetSlirpProvider provider(Path dir) throws Exception {
        Path bin = BackendTest.bin(dir.resolve("bin"), "slirp4netns", "sh", "pasta", "setpriv");
        return new NetSlirpProvider(new Executables(List.of(bin)), new TunDevice(Files.createFile(dir.resolve("tun"))));
    }

    @Test
    void supportsTheUserspaceModesOnly() {
        NetSlirpProvider p = new NetSlirpProvider();
        assertTrue(p.supports(NetworkMode.SLIRP) && p.supports(NetworkMode.PASTA) && p.supports(NetworkMode.AUTO));
        assertFalse(p.supports(NetworkMode.NONE) || p.supports(NetworkMode.HOST));
    }

    @Test
    void bindsGeneratedResolvConfAndHostsReadOnlyAndRemovesThemOnClose(@TempDir Path dir) throws Exception {
        Path runtime = dir.resolve("run");
        NetworkSetup setup = provider(dir).prepare(context(runtime, spec(NetworkMode.SLIRP)));
        assertEquals(List.of("/etc/resolv.conf", "/etc/hosts"), setup.files().stream().map(MountSpec.Bind::target).toList());
        assertTrue(setup.files().stream().allMatch(MountSpec.Bind::readOnly));
        assertTrue(Files.readString(setup.files().get(0).source()).contains("nameserver 10.0.2.3"));
        assertTrue(Files.readString(setup.files().get(1).source()).contains("10.0.2.100\tweb"));
        setup.hooks().close();
        assertFalse(Files.exists(runtime.resolve("f00d")), "nothing left after close");
    }

    @Test
    void aBusyPortFailsInPrepareAndLeavesNoFiles(@TempDir Path dir) throws Exception {
        Path runtime = dir.resolve("run");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            NetSlirpProvider p = provider(dir);
            JboxException e = assertThrows(JboxException.class,
                    () -> p.prepare(context(runtime, spec(NetworkMode.PASTA, new PortMapping("127.0.0.1", taken.getLocalPort(), 80, "tcp")))));
            assertTrue(e.getMessage().contains(Integer.toString(taken.getLocalPort())), e.getMessage());
        }
        assertFalse(Files.exists(runtime.resolve("f00d")));
    }

    @Test
    void hostnameFollowsThePlansRule() {
        assertEquals("web", NetSlirpProvider.hostname(spec(NetworkMode.SLIRP)));
        assertEquals("named", NetSlirpProvider.hostname(SandboxSpec.builder().command("true").name("named").build()));
        assertEquals("jbox", NetSlirpProvider.hostname(SandboxSpec.builder().command("true").build()));
    }

    @Test
    void rootIsMappedUnlessASingleMappingPutsTheUserElsewhere() {
        assertTrue(NetSlirpProvider.rootMapped(Identity.ROOT));
        assertTrue(NetSlirpProvider.rootMapped(new Identity(UserNamespaceMode.AUTO, 1000, 1000)));
        assertFalse(NetSlirpProvider.rootMapped(new Identity(UserNamespaceMode.SINGLE, 1000, 1000)));
    }
}
