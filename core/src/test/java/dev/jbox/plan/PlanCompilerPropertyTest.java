package dev.jbox.plan;

import dev.jbox.JboxException;
import dev.jbox.spec.MountSpec;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.spec.SpecException;
import dev.jbox.spi.PreparedRoot.ImageDefaults;
import dev.jbox.spi.PreparedRoot.RootMount;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Hostile mount specs through the plan compiler: either a clear rejection (SpecException or
 * JboxException with a message), or a plan whose every mount lands inside the root being
 * assembled, never on the host's or the staging directory's own paths.
 */
class PlanCompilerPropertyTest {
    @Provide
    Arbitrary<String> targets() {
        Arbitrary<String> part = Arbitraries.of("..", ".", "", "etc", "proc", "tmp", "dev", "a b", "x\u00e9", "oldroot", "newroot", "sys");
        return part.list().ofMinSize(0).ofMaxSize(8).map(parts -> "/" + String.join("/", parts))
                .injectDuplicates(0.1)
                .edgeCases(c -> c.add("/../../..")).withoutEdgeCases();
    }

    @Property(tries = 500)
    void mountsNeverLeaveTheNewRoot(@ForAll("targets") String target, @ForAll boolean readOnly, @ForAll boolean tmpfs) {
        SandboxSpec spec;
        try {
            SandboxSpec.Builder b = SandboxSpec.builder().command("true");
            b.mount(tmpfs ? new MountSpec.Tmpfs(target, "") : new MountSpec.Bind(Path.of("/srv/data"), target, readOnly));
            spec = b.build();
        } catch (SpecException rejected) {
            assertTrue(rejected.getMessage() != null && !rejected.getMessage().isBlank());
            return;
        }
        LaunchPlan plan;
        try {
            plan = PlanCompiler.compile(new PlanInputs(spec, new HostFacts(1000, 1000, "/home/u", 0), new RootMount.Bind(Path.of("/srv/root")),
                    ImageDefaults.NONE, List.of(), MountTargets.AS_GIVEN, Hardening.NONE));
        } catch (SpecException | JboxException rejected) {
            assertTrue(rejected.getMessage() != null && !rejected.getMessage().isBlank());
            return;
        } catch (RuntimeException e) {
            fail("unexpected " + e + " for target " + target);
            return;
        }
        int detach = plan.steps().indexOf(new Step.PivotRoot(".", "."));
        for (Step step : plan.steps().subList(0, detach)) {
            String path = switch (step) {
                case Step.Mount m -> m.target();
                case Step.MakeDirectory d -> d.path();
                case Step.MakeFile f -> f.path();
                case Step.SetMountAttributes a -> a.path();
                default -> null;
            };
            if (path == null || path.startsWith(Staging.BASE)) continue;  // the staging tmpfs itself
            assertTrue(path.equals(Staging.NEW_ROOT) || path.startsWith(Staging.NEW_ROOT + "/"), step + " for target " + target);
            assertTrue(!Path.of(path).normalize().toString().equals(Staging.NEW_ROOT) || step instanceof Step.Mount || step instanceof Step.SetMountAttributes,
                    step + " for target " + target);
            assertTrue(Path.of(path).normalize().startsWith(Staging.NEW_ROOT), "normalized inside the new root: " + step);
        }
    }
}
