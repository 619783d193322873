package dev.jbox.examples;

import dev.jbox.profile.Profile;
import dev.jbox.profile.ProfileCheck;
import dev.jbox.profile.ProfileLoader;
import dev.jbox.profile.SpecRenderer;
import dev.jbox.spec.Limits;
import dev.jbox.spec.MountSpec;
import dev.jbox.spec.NetworkMode;
import dev.jbox.spec.PortMapping;
import dev.jbox.spec.SandboxSpec;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example profiles load, pass {@code jbox profile check}, and say what their comments promise.
 * (Running them for real is the CLI tests' job.)
 */
class ExampleProfilesTest {
    private static final Path DIR = Path.of("profiles");
    private static final Map<String, String> ENV = Map.of("PWD", "/home/alice/src/app", "HOME", "/home/alice");
    private final ProfileLoader loader = new ProfileLoader(ENV);

    private SandboxSpec spec(String file) {
        return loader.load(DIR.resolve(file)).specBuilder().build();
    }

    @Test
    void everyExampleChecksOk() throws Exception {
        List<Path> files;
        try (Stream<Path> list = Files.list(DIR)) {
            files = list.filter(p -> p.toString().endsWith(".toml")).sorted().toList();
        }
        assertEquals(List.of("build.toml", "offline-tests.toml", "untrusted.toml", "webapp.toml"),
                files.stream().map(p -> p.getFileName().toString()).toList());
        for (ProfileCheck.Result result : new ProfileCheck(loader).check(files)) {
            assertTrue(result.ok(), result.report());
            // The dry-run text of each example is a profile again.
            Profile profile = loader.load(result.file());
            assertTrue(SpecRenderer.render(profile.specBuilder().build(), profile.plugins()).startsWith("# resolved sandbox spec\n"));
        }
    }

    @Test
    void offlineTestsHaveNoNetworkAReadOnlyProjectAndATmpfsForOutput() {
        SandboxSpec spec = spec("offline-tests.toml");
        assertEquals(NetworkMode.NONE, spec.network().mode());
        assertEquals(List.of(new MountSpec.Bind(Path.of("/home/alice/src/app"), "/home/alice/src/app", true),
                new MountSpec.Tmpfs("/home/alice/src/app/target", "size=1g,mode=0755")), spec.mounts());
        assertEquals("/home/alice/src/app", spec.workdir());
        assertTrue(spec.readOnly());
    }

    @Test
    void buildBindsOnlyTheProjectReadWrite() {
        SandboxSpec spec = spec("build.toml");
        assertTrue(spec.readOnly(), "everything else read-only");
        assertEquals(List.of(new MountSpec.Bind(Path.of("/home/alice/src/app"), "/home/alice/src/app", false)), spec.mounts());
        assertEquals("/home/alice/src/app", spec.workdir());
    }

    @Test
    void webappPublishesPort8080OverSlirp() {
        SandboxSpec spec = spec("webapp.toml");
        assertEquals(NetworkMode.SLIRP, spec.network().mode());
        assertEquals(List.of(new PortMapping("0.0.0.0", 8080, 8080, "tcp")), spec.network().ports());
        assertEquals(List.of("busybox", "httpd", "-f", "-v", "-p", "8080", "-h", "/srv"), spec.command());
    }

    @Test
    void untrustedHasLimitsNoCapabilitiesAndNothingWritableButTmp() {
        SandboxSpec spec = spec("untrusted.toml");
        assertEquals(new Limits(256L << 20, null, 0.5, 64L, null, null), spec.limits());
        assertEquals(Set.of("ALL"), spec.security().capDrop());
        assertTrue(spec.readOnly());
        assertEquals(NetworkMode.NONE, spec.network().mode());
        assertEquals(List.of(new MountSpec.Tmpfs("/home/alice", "size=16m,mode=0700"), new MountSpec.Tmpfs("/tmp", "size=64m,mode=1777")),
                spec.mounts());
    }
}
