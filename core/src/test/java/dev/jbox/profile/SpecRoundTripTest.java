package dev.jbox.profile;

import dev.jbox.spec.CgroupManager;
import dev.jbox.spec.Identity;
import dev.jbox.spec.Limits;
import dev.jbox.spec.MountSpec;
import dev.jbox.spec.NetworkMode;
import dev.jbox.spec.NetworkSpec;
import dev.jbox.spec.PortMapping;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.spec.SecuritySpec;
import dev.jbox.spec.UserNamespaceMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Whatever the spec holds (quotes, $, ~, unicode, newlines), its dry-run text loads back into the same spec. */
class SpecRoundTripTest {
    private static Path dir;

    @BeforeContainer
    static void createDir() throws IOException {
        dir = Files.createTempDirectory("jbox-roundtrip");
    }

    @AfterContainer
    static void removeDir() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) Files.delete(f);
        }
        Files.delete(dir);
    }

    @Property(tries = 100)
    void renderedSpecsLoadBack(@ForAll("specs") SandboxSpec spec) throws Exception {
        SpecRendererTest.assertRoundTrip(spec, dir);
    }

    private static Arbitrary<String> text() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(20).filter(s -> s.indexOf('\0') < 0),
                Arbitraries.of("$HOME", "${HOME}", "$$", "~", "~/x", "\"quoted\"", "back\\slash", "tab\there", "line\nbreak", "日本"));
    }

    private static Arbitrary<String> absolutePath() {
        return text().map(t -> "/" + t.replace('\n', '_')).filter(p -> !p.contains("/../") && !p.endsWith("/..") && !p.contains("//")
                && !p.contains("/./") && !p.endsWith("/.") && (p.length() == 1 || !p.endsWith("/")) && Path.of(p).normalize().toString().equals(p));
    }

    @Provide
    Arbitrary<SandboxSpec> specs() {
        Arbitrary<String> name = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(10);
        return Builders.withBuilder(() -> SandboxSpec.builder().command("true"))
                .use(text().filter(s -> !s.isEmpty()).list().ofMinSize(1).ofMaxSize(4)).in((b, argv) -> b.command(argv))
                .use(absolutePath()).withProbability(0.5).in((b, p) -> b.rootfs(Path.of(p)))
                .use(Arbitraries.of(true, false)).in(SandboxSpec.Builder::readOnly)
                .use(name).withProbability(0.5).in(SandboxSpec.Builder::hostname)
                .use(absolutePath()).withProbability(0.5).in(SandboxSpec.Builder::workdir)
                .use(Arbitraries.integers().between(0, 1 << 20)).in((b, id) -> b.identity(new Identity(UserNamespaceMode.AUTO, id, id / 2)))
                .use(Arbitraries.maps(Arbitraries.strings().withCharRange('A', 'Z').ofMinLength(1).ofMaxLength(5), text()).ofMaxSize(3))
                .in(SandboxSpec.Builder::env)
                .use(absolutePath().list().uniqueElements().ofMaxSize(3)).in((b, targets) -> {
                    for (int i = 0; i < targets.size(); i++) {
                        b.mount(i % 2 == 0 ? new MountSpec.Bind(Path.of(targets.get(i)), targets.get(i), i % 3 == 0)
                                : new MountSpec.Tmpfs(targets.get(i), i % 3 == 0 ? "size=1m" : ""));
                    }
                    return b;
                })
                .use(Arbitraries.integers().between(1, 65535)).withProbability(0.5).in((b, port) -> b.network(
                        new NetworkSpec(NetworkMode.SLIRP, java.util.List.of(new PortMapping("127.0.0.1", port, 65536 - port, "udp")), true)))
                .use(Arbitraries.longs().between(1, Long.MAX_VALUE)).withProbability(0.5)
                .in((b, bytes) -> b.limits(new Limits(bytes, -1L, 0.25, bytes, 1, 10000)))
                .use(Arbitraries.of(CgroupManager.class).filter(m -> m != CgroupManager.DISABLED)).in(SandboxSpec.Builder::cgroupManager)
                .use(absolutePath()).withProbability(0.3).in((b, p) -> b.security(
                        new SecuritySpec(new SecuritySpec.Seccomp.ProfileFile(Path.of(p)), java.util.Set.of("CAP_CHOWN"), java.util.Set.of("ALL"))))
                .use(Arbitraries.longs().between(0, 1L << 40)).in((b, ms) -> b.stopTimeout(Duration.ofMillis(ms)))
                .use(name).withProbability(0.5).in(SandboxSpec.Builder::name)
                .build(SandboxSpec.Builder::build);
    }
}
