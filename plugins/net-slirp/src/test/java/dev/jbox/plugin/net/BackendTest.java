package dev.jbox.plugin.net;

import dev.jbox.JboxException;
import dev.jbox.spec.NetworkMode;
import dev.jbox.spec.NetworkSpec;
import dev.jbox.spec.PortMapping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The helpers' command lines and the choice between them: pure data, no privileges. */
class BackendTest {
    static final Path DIR = Path.of("/run/user/1000/jbox/abc/net");
    static final Slirp4netns SLIRP = new Slirp4netns(Path.of("/usr/bin/slirp4netns"), Path.of("/bin/sh"));
    static final Pasta PASTA = new Pasta(Path.of("/usr/bin/pasta"), Path.of("/usr/bin/setpriv"));

    static Attachment attachment(boolean allowHostLoopback, boolean rootMapped, PortMapping... ports) {
        return new Attachment(new NetworkSpec(NetworkMode.SLIRP, List.of(ports), allowHostLoopback), rootMapped, DIR);
    }

    @Test
    void slirp4netnsRunsSandboxedWithExitAndReadyFdsAndNoHostLoopback() {
        assertEquals(List.of("/bin/sh", "-c", "exec \"$0\" \"$@\" 3>&1 1>&2", "/usr/bin/slirp4netns",
                "--configure", "--mtu=65520", "--disable-host-loopback", "--enable-sandbox", "--enable-seccomp",
                "--exit-fd=0", "--ready-fd=3", "--api-socket", DIR + "/slirp4netns.sock", "4242", "tap0"),
                SLIRP.command(4242, attachment(false, true)));
    }

    @Test
    void slirp4netnsReachesTheHostLoopbackOnlyWhenAllowedAndSkipsItsSandboxWithoutRoot() {
        List<String> argv = SLIRP.command(7, attachment(true, false));
        assertFalse(argv.contains("--disable-host-loopback"));
        assertFalse(argv.contains("--enable-sandbox"), "its sandbox needs uid/gid 0 in the sandbox's user namespace");
        assertTrue(argv.contains("--enable-seccomp"));
    }

    @Test
    void pastaRunsInTheForegroundUnderAParentDeathSignalWithNothingForwardedByDefault() {
        assertEquals(List.of("/usr/bin/setpriv", "--pdeathsig", "KILL", "--", "/usr/bin/pasta",
                "--foreground", "--quiet", "--config-net", "--ns-ifname", "tap0", "--pid", "/proc/self/fd/1",
                "--dns-forward", "169.254.1.1", "--tcp-ports", "none", "--udp-ports", "none",
                "--tcp-ns", "none", "--udp-ns", "none", "--no-map-gw", "4242"),
                PASTA.command(4242, attachment(false, true)));
    }

    @Test
    void pastaForwardsEachPublishedPortWithItsAddressAndMapsTheGatewayWhenAllowed() {
        List<String> argv = PASTA.command(9, attachment(true, true,
                new PortMapping("127.0.0.1", 8080, 80, "tcp"), new PortMapping("::1", 8443, 443, "tcp"),
                new PortMapping("0.0.0.0", 5353, 53, "udp")));
        String joined = String.join(" ", argv);
        assertTrue(joined.contains("--tcp-ports 127.0.0.1/8080:80 --tcp-ports ::1/8443:443 --udp-ports 0.0.0.0/5353:53 --tcp-ns none"), joined);
        assertFalse(argv.contains("--no-map-gw"));
    }

    @Test
    void dnsAndSandboxAddressesDifferPerHelper() {
        assertEquals("10.0.2.3", SLIRP.nameserver());
        assertEquals("10.0.2.100", SLIRP.sandboxAddress());
        assertEquals("169.254.1.1", PASTA.nameserver());
    }

    @Test
    void slirp4netnsRefusesIpv6HostAddresses() {
        JboxException e = assertThrows(JboxException.class, () -> SLIRP.checkPublishable(new PortMapping("::1", 8080, 80, "tcp")));
        assertTrue(e.getMessage().contains("IPv4") && e.hint().contains("--network pasta"), e.userMessage());
        PASTA.checkPublishable(new PortMapping("::1", 8080, 80, "tcp"));
    }

    @Test
    void autoPrefersPastaThenSlirp4netns(@TempDir Path dir) throws IOException {
        Path all = bin(dir.resolve("all"), "pasta", "setpriv", "slirp4netns", "sh");
        Path slirpOnly = bin(dir.resolve("slirp"), "slirp4netns", "sh", "setpriv");
        assertInstanceOf(Pasta.class, Backend.choose(NetworkMode.AUTO, new Executables(List.of(all))));
        assertInstanceOf(Slirp4netns.class, Backend.choose(NetworkMode.AUTO, new Executables(List.of(slirpOnly))));
        assertInstanceOf(Slirp4netns.class, Backend.choose(NetworkMode.SLIRP, new Executables(List.of(all))));
        assertEquals(new Pasta(all.resolve("pasta"), all.resolve("setpriv")), Backend.choose(NetworkMode.PASTA, new Executables(List.of(all))));
    }

    @Test
    void aMissingHelperNamesThePackageToInstall(@TempDir Path dir) throws IOException {
        Executables nothing = new Executables(List.of(bin(dir, "sh")));
        JboxException slirp = assertThrows(JboxException.class, () -> Backend.choose(NetworkMode.SLIRP, nothing));
        assertTrue(slirp.getMessage().contains("slirp4netns is not installed") && slirp.hint().contains("apt install slirp4netns"), slirp.userMessage());
        JboxException pasta = assertThrows(JboxException.class, () -> Backend.choose(NetworkMode.PASTA, nothing));
        assertTrue(pasta.getMessage().contains("pasta is not installed") && pasta.hint().contains("apt install passt"), pasta.userMessage());
        JboxException auto = assertThrows(JboxException.class, () -> Backend.choose(NetworkMode.AUTO, nothing));
        assertTrue(auto.hint().contains("passt") && auto.hint().contains("slirp4netns"), auto.userMessage());
        assertEquals(125, auto.exitCode());
    }

    @Test
    void nonExecutableFilesAreNotHelpers(@TempDir Path dir) throws IOException {
        Files.createFile(dir.resolve("slirp4netns"));
        assertTrue(new Executables(List.of(dir)).find("slirp4netns").isEmpty());
    }

    static Path bin(Path dir, String... programs) throws IOException {
        Files.createDirectories(dir);
        for (String p : programs) {
            Files.createFile(dir.resolve(p), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        }
        return dir;
    }
}
