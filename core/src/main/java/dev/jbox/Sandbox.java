package dev.jbox;

import dev.jbox.launch.Launcher;
import dev.jbox.launch.RootTargets;
import dev.jbox.launch.SandboxProcess;
import dev.jbox.launch.SocketScan;
import dev.jbox.linux.Landlock;
import dev.jbox.linux.Linux;
import dev.jbox.linux.Arch;
import dev.jbox.plan.Hardening;
import dev.jbox.plan.HostExposure;
import dev.jbox.plan.HostFacts;
import dev.jbox.plan.LaunchPlan;
import dev.jbox.plan.MountTargets;
import dev.jbox.plan.PlanCompiler;
import dev.jbox.plan.PlanInputs;
import dev.jbox.plugins.Plugins;
import dev.jbox.security.SecurityPolicy;
import dev.jbox.spec.MountSpec;
import dev.jbox.spec.RootFs;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.spi.CompositeHooks;
import dev.jbox.spi.NetworkSetup;
import dev.jbox.spi.PreparedRoot;
import dev.jbox.spi.PreparedRoot.ImageDefaults;
import dev.jbox.spi.PreparedRoot.RootMount;
import dev.jbox.spi.SandboxContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * jbox as a library: {@code Sandbox.start(spec)} runs a command in a rootless sandbox and returns
 * a {@link SandboxProcess} (a {@link Process}). Thread-safe; many sandboxes may start at once.
 *
 * <pre>{@code
 * SandboxSpec spec = SandboxSpec.builder().rootfs(Path.of("/srv/rootfs")).command("/bin/sh", "-c", "echo hi").build();
 * try (var p = Sandbox.start(spec)) { ... }   // or: int status = Sandbox.start(spec).waitFor();
 * }</pre>
 */
public final class Sandbox {
    private static final class Default {
        static final Sandbox INSTANCE = new Sandbox(Plugins.fromEnvironment());
    }

    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[0-9a-f]{12}");

    private final Plugins plugins;

    public Sandbox(Plugins plugins) {
        this.plugins = plugins;
    }

    /** Starts a sandbox with the distribution's plugins ({@code jbox.plugins.dir}). */
    public static SandboxProcess start(SandboxSpec spec) {
        return Default.INSTANCE.launch(spec);
    }

    public Plugins plugins() {
        return plugins;
    }

    /** Prepares (root filesystem, network, limits), compiles the plan, and launches it. */
    public SandboxProcess launch(SandboxSpec spec) {
        return launch(spec, newId());
    }

    /** As {@link #launch(SandboxSpec)}, under an id the caller chose ({@link #newId()}): {@code jbox run -d} names its state after it. */
    public SandboxProcess launch(SandboxSpec spec, String id) {
        if (!ID.matcher(id).matches()) throw new IllegalArgumentException("sandbox id " + id + ": expected 12 hex digits (Sandbox.newId())");
        CompositeHooks hooks = new CompositeHooks();
        try {
            Prepared prepared = prepare(spec, id, hooks, true);
            LaunchPlan plan = PlanCompiler.compile(prepared.inputs());
            StartupTimeline.mark("plan compiled");
            return Launcher.launch(plan, spec, hooks, userName());
        } catch (RuntimeException | Error e) {
            hooks.close();
            throw e;
        }
    }

    /** The plan {@link #launch} would run, for {@code --dry-run}: nothing is created or started. */
    public LaunchPlan plan(SandboxSpec spec) {
        CompositeHooks hooks = new CompositeHooks();
        try {
            return PlanCompiler.compile(prepare(spec, newId(), hooks, false).inputs());
        } finally {
            hooks.close();
        }
    }

    private record Prepared(PlanInputs inputs) {}

    private Prepared prepare(SandboxSpec spec, String id, CompositeHooks hooks, boolean forReal) {
        checkBindSources(spec);
        // Landlock is probed only for a plan that may use it: other sandboxes spare the call.
        int landlockAbi = spec.network().blocksHostAbstractSockets() ? Landlock.abi() : 0;
        HostFacts host = new HostFacts(Linux.getuid(), Linux.getgid(), System.getProperty("user.dir"), landlockAbi);
        StartupTimeline.mark("host facts");
        SandboxContext context = new SandboxContext(id, spec, RuntimeDirs.forSandbox(host.uid()), host.uid(), host.gid());
        Root root = root(spec.rootfs(), context, hooks, forReal);
        List<MountSpec> pluginMounts = new ArrayList<>();
        if (spec.network().mode().needsPlugin()) {
            NetworkSetup net = call(() -> plugins.networkFor(spec.network().mode()).prepare(context), "preparing the network");
            hooks.add(net.hooks());
            pluginMounts.addAll(net.files());
        }
        if (!spec.limits().isEmpty()) {
            hooks.add(call(() -> plugins.limiter().prepare(context), "preparing resource limits"));
        }
        StartupTimeline.mark("root filesystem, plugins");
        Hardening hardening = SecurityPolicy.resolve(spec.security(), PlanCompiler.workloadIdentity(spec, root.image()), Arch.current()).toHardening();
        StartupTimeline.mark("security policy");
        HostExposure exposure = SocketScan.of(spec);
        StartupTimeline.mark("host sockets");
        return new Prepared(new PlanInputs(spec, host, root.mount(), root.image(), pluginMounts, root.targets(), hardening, exposure));
    }

    /** The root filesystem, the image's defaults (if an image), and where mount targets resolve. */
    private record Root(RootMount mount, ImageDefaults image, MountTargets targets) {}

    /** Prepares the spec's root filesystem. Not a pattern switch, on the launch path (StartupPathTest says why). */
    private Root root(RootFs rootfs, SandboxContext context, CompositeHooks hooks, boolean forReal) {
        if (rootfs instanceof RootFs.Host) {
            // Resolving in the host's root creates nothing: a dry run shows the real targets too.
            return new Root(new RootMount.HostRoot(), ImageDefaults.NONE, RootTargets.hostRoot());
        }
        if (rootfs instanceof RootFs.Directory d) {
            Path dir = existingDirectory(d.path());
            return new Root(new RootMount.Bind(dir), ImageDefaults.NONE, forReal ? new RootTargets(List.of(dir)) : MountTargets.AS_GIVEN);
        }
        if (rootfs instanceof RootFs.Image i) {
            PreparedRoot prepared = call(() -> plugins.storageFor(i).prepare(context), "preparing image " + i.reference());
            hooks.add(prepared.hooks());
            MountTargets targets = forReal ? RootTargets.forRoot(prepared.mount()) : MountTargets.AS_GIVEN;
            return new Root(prepared.mount(), prepared.defaults(), targets);
        }
        throw new IllegalArgumentException("unknown root filesystem " + rootfs.getClass().getSimpleName());
    }

    /** A missing bind source is the user's typo: say so before anything is created or started. */
    private static void checkBindSources(SandboxSpec spec) {
        for (MountSpec m : spec.mounts()) {
            if (m instanceof MountSpec.Bind b && !Files.exists(b.source())) {
                throw new JboxException("bind source " + b.source() + " for " + b.target() + ": ENOENT (No such file or directory)",
                        "create it, or fix the path given to -v");
            }
        }
    }

    private static Path existingDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new JboxException("--rootfs " + dir + ": not a directory", "give a directory holding a root filesystem (bin/, etc/, …)");
        }
        try {
            return dir.toRealPath();
        } catch (java.io.IOException e) {
            throw new JboxException("--rootfs " + dir + ": " + e.getMessage());
        }
    }

    private interface PluginCall<T> {
        T run() throws Exception;
    }

    private static <T> T call(PluginCall<T> call, String what) {
        try {
            return call.run();
        } catch (JboxException e) {
            throw e;
        } catch (Exception e) {
            throw new JboxException(what + ": " + e.getMessage(), null, JboxException.EXIT_JBOX, e);
        }
    }

    private static String userName() {
        return System.getProperty("user.name");
    }

    /** A fresh sandbox id: 12 random hex digits. */
    public static String newId() {
        byte[] b = new byte[6];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
