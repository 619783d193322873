package dev.jbox.profile;

import dev.jbox.spec.Identity;
import dev.jbox.spec.Limits;
import dev.jbox.spec.MountSpec;
import dev.jbox.spec.NetworkMode;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.spec.UserNamespaceMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Command-line flags override the profile: the CLI turns the flags the user gave into a Profile
 * layer and lays it over the loaded profile, so one set of merge rules serves extends and flags.
 */
class ProfileLayeringTest {
    @Test
    void explicitFlagsWinAndEverythingElseComesFromTheProfile(@TempDir Path dir) {
        Profile fromFile = new ProfileFiles(dir).load("p.toml", """
                command = ["make", "test"]
                hostname = "from-profile"
                userns = "auto"
                user = "1000"
                [env]
                A = "profile"
                B = "profile"
                [[mount]]
                source = "/src"
                target = "/src"
                read_only = true
                [network]
                mode = "slirp"
                ports = ["8080:80"]
                [limits]
                memory = "1g"
                pids = 100
                """);
        // What `jbox run --profile p.toml --memory 2g -e B=cli -v /other:/src/ --network pasta -- sh` produces:
        Profile flags = Profile.builder()
                .command(List.of("sh"))
                .limits(new Limits(2L << 30, null, null, null, null, null))
                .env("B", "cli")
                .mount(new MountSpec.Bind(Path.of("/other"), "/src/", false))
                .network(new Profile.Network(NetworkMode.PASTA, null, null, null))
                .build();
        SandboxSpec spec = fromFile.overriddenBy(flags).specBuilder().build();

        assertEquals(List.of("sh"), spec.command());
        assertEquals("from-profile", spec.hostname());
        assertEquals(new Identity(UserNamespaceMode.AUTO, 1000, 1000), spec.identity());
        assertEquals(Map.of("A", "profile", "B", "cli"), spec.env());
        assertEquals(List.of(new MountSpec.Bind(Path.of("/other"), "/src/", false)), spec.mounts(), "-v on the same target replaces");
        assertEquals(NetworkMode.PASTA, spec.network().mode());
        assertEquals(1, spec.network().ports().size(), "ports kept: only the mode flag was given");
        assertEquals(new Limits(2L << 30, null, null, 100L, null, null), spec.limits(), "--memory leaves the profile's pids");
    }

    @Test
    void withoutAProfileTheFlagsAloneMakeTheSpec() {
        SandboxSpec spec = Profile.EMPTY.overriddenBy(Profile.builder().command(List.of("id")).readOnly(true).build())
                .specBuilder().build();
        assertEquals(SandboxSpec.builder().command("id").readOnly(true).build(), spec);
    }

    @Test
    void networkAndSecurityAreUnsetOnlyWithNothingSet() {
        assertTrue(Profile.Network.UNSET.isUnset() && Profile.Security.UNSET.isUnset());
        assertFalse(new Profile.Network(NetworkMode.HOST, null, null, null).isUnset());
        assertFalse(new Profile.Network(null, List.of(), null, null).isUnset());
        assertFalse(new Profile.Network(null, null, false, null).isUnset());
        assertFalse(new Profile.Network(null, null, null, false).isUnset());
        assertFalse(new Profile.Security(dev.jbox.spec.SecuritySpec.Seccomp.parse("unconfined"), null, null).isUnset());
        assertFalse(new Profile.Security(null, java.util.Set.of(), null).isUnset());
        assertFalse(new Profile.Security(null, null, java.util.Set.of("ALL")).isUnset());
    }
}
