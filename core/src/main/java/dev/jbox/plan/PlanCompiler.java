package dev.jbox.plan;

import dev.jbox.linux.CloneFlags;
import dev.jbox.linux.Landlock;
import dev.jbox.spec.Identity;
import dev.jbox.spec.MountSpec;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.spec.SpecException;
import dev.jbox.spec.UserNamespaceMode;
import dev.jbox.spi.PreparedRoot.ImageDefaults;
import dev.jbox.spi.PreparedRoot.RootMount;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.jbox.linux.MountFlags.*;
import static dev.jbox.plan.Staging.NEW_ROOT;
import static dev.jbox.plan.Staging.OLD_ROOT;
import static dev.jbox.plan.Staging.host;
import static dev.jbox.plan.Staging.inside;

/**
 * Compiles a spec into a {@link LaunchPlan}. Pure apart from the {@link MountTargets} it is given,
 * so every option's effect on the step list is unit-tested without privileges.
 *
 * <p>The mount sequence follows bubblewrap: pivot into a staging tmpfs, assemble the new root at
 * {@value Staging#NEW_ROOT} from host paths under {@value Staging#OLD_ROOT}, pivot again into the
 * new root, detach the staging tmpfs and the host under it.
 */
public final class PlanCompiler {
    private PlanCompiler() {}

    public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    public static final String DEFAULT_HOSTNAME = "jbox";
    static final List<String> DEVICES = List.of("null", "zero", "full", "random", "urandom", "tty");
    private static final int SIGKILL = 9;

    public static LaunchPlan compile(PlanInputs in) {
        SandboxSpec spec = in.spec();
        List<Step> steps = new ArrayList<>();
        boolean ownNet = spec.network().mode().ownNamespace();
        // A root that fuse-overlayfs mounts needs a mount namespace for it to join before the child runs: one is
        // made at clone. The child still unshares its own below that one, so its pivot_root does not move the
        // helper's root into the sandbox (fuse-overlayfs resolving /proc through its own mount would deadlock).
        int atClone = in.root() instanceof RootMount.FuseOverlay ? CloneFlags.CLONE_NEWNS : 0;
        int namespaces = CLONE_NEWNS_SET | (ownNet ? CloneFlags.CLONE_NEWNET : 0);
        steps.add(new Step.Unshare(namespaces));
        enterStaging(steps);
        mountRoot(steps, in.root(), spec.readOnly());
        List<String> fresh = standardMounts(steps, in.targets(), ownNet);
        if (in.root() instanceof RootMount.HostRoot) privateHostTrees(steps, in.targets(), fresh, in.exposure().runtimeDir());
        for (MountSpec m : in.pluginMounts()) userMount(steps, in.targets(), fresh, m);
        for (MountSpec m : spec.mounts()) userMount(steps, in.targets(), fresh, m);
        steps.addAll(SocketCovers.of(steps, in.exposure()));
        String workdir = workdir(in, fresh);
        leaveStaging(steps, workdir);
        steps.add(new Step.SetHostname(hostname(spec)));
        if (ownNet) steps.add(new Step.BringUpLoopback());
        if (spec.tty()) steps.add(new Step.OpenTerminal(!isNull(spec.stdin())));
        steps.add(new Step.NewSession());
        if (spec.tty()) steps.add(new Step.SetControllingTerminal());
        IdMapping ids = idMapping(spec, in.host(), in.image());
        harden(steps, in.hardening(), ids, spec.dieWithParent(), landlockScopes(spec, in.host()));
        return new LaunchPlan(CloneFlags.CLONE_NEWUSER | CloneFlags.CLONE_NEWPID | atClone, ids, steps, exec(in, ids));
    }

    private static final int CLONE_NEWNS_SET =
            CloneFlags.CLONE_NEWNS | CloneFlags.CLONE_NEWUTS | CloneFlags.CLONE_NEWIPC | CloneFlags.CLONE_NEWCGROUP;

    private static void enterStaging(List<Step> steps) {
        steps.add(new Step.MakeMountsPrivate());
        steps.add(new Step.Mount("staging tmpfs", "tmpfs", Staging.BASE, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755"));
        steps.add(new Step.MakeDirectory(Staging.BASE + NEW_ROOT, 0755));
        steps.add(new Step.MakeDirectory(Staging.BASE + OLD_ROOT, 0755));
        steps.add(new Step.PivotRoot(Staging.BASE, Staging.BASE + OLD_ROOT));
        steps.add(new Step.ChangeDirectory("/"));
    }

    /** Not a pattern switch, on the launch path (StartupPathTest says why); nor is {@link #userMount}. */
    private static void mountRoot(List<Step> steps, RootMount root, boolean readOnly) {
        if (root instanceof RootMount.HostRoot) {
            steps.add(bind("host /", OLD_ROOT, NEW_ROOT));
            steps.add(new Step.SetMountAttributes(NEW_ROOT, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NODEV, true));
        } else if (root instanceof RootMount.Bind b) {
            steps.add(bind("root filesystem " + b.directory(), host(b.directory().toString()), NEW_ROOT));
            if (readOnly) steps.add(new Step.SetMountAttributes(NEW_ROOT, MOUNT_ATTR_RDONLY, true));
        } else if (root instanceof RootMount.Overlay o) {
            // Relative lowerdirs keep the mount data short; the kernel resolves them from the cwd.
            steps.add(new Step.ChangeDirectory(host(o.baseDir().toString())));
            String data = "lowerdir=" + String.join(":", o.lowerDirs())
                    + ",upperdir=" + host(o.upperDir().toString())
                    + ",workdir=" + host(o.workDir().toString()) + ",userxattr";
            steps.add(new Step.Mount("overlay root filesystem", "overlay", NEW_ROOT, "overlay", 0, data));
            steps.add(new Step.ChangeDirectory("/"));
            if (readOnly) steps.add(new Step.SetMountAttributes(NEW_ROOT, MOUNT_ATTR_RDONLY, false));
        } else if (root instanceof RootMount.FuseOverlay f) {
            String what = "root filesystem " + f.mountPoint() + " (mounted there by " + String.join(" ", f.helper()) + ")";
            steps.add(bind(what, host(f.mountPoint().toString()), NEW_ROOT));
            if (readOnly) steps.add(new Step.SetMountAttributes(NEW_ROOT, MOUNT_ATTR_RDONLY, true));
        } else {
            throw new IllegalArgumentException("unknown root mount " + root.getClass().getSimpleName());
        }
    }

    /** Mounts /proc, /dev, /sys, /tmp; returns the sandbox paths of the fresh tmpfs mounts among them. */
    private static List<String> standardMounts(List<Step> steps, MountTargets targets, boolean ownNet) {
        steps.add(new Step.Mount("proc", "proc", inside(targets.prepare("/proc", true)), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, null));

        String dev = inside(targets.prepare("/dev", true));
        steps.add(new Step.Mount("tmpfs", "tmpfs", dev, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755"));
        for (String device : DEVICES) {
            steps.add(new Step.MakeFile(dev + "/" + device));
            steps.add(bind("host /dev/" + device, host("/dev/" + device), dev + "/" + device));
        }
        steps.add(new Step.MakeSymlink("/proc/self/fd", dev + "/fd"));
        steps.add(new Step.MakeSymlink("/proc/self/fd/0", dev + "/stdin"));
        steps.add(new Step.MakeSymlink("/proc/self/fd/1", dev + "/stdout"));
        steps.add(new Step.MakeSymlink("/proc/self/fd/2", dev + "/stderr"));
        steps.add(new Step.MakeDirectory(dev + "/pts", 0755));
        steps.add(new Step.Mount("devpts", "devpts", dev + "/pts", "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=620"));
        steps.add(new Step.MakeSymlink("pts/ptmx", dev + "/ptmx"));
        steps.add(new Step.MakeDirectory(dev + "/shm", 01777));
        steps.add(new Step.Mount("tmpfs", "tmpfs", dev + "/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777"));
        steps.add(new Step.MakeDirectory(dev + "/mqueue", 0755));
        steps.add(new Step.Mount("mqueue", "mqueue", dev + "/mqueue", "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, null));

        String sys = inside(targets.prepare("/sys", true));
        if (ownNet) {
            // A new sysfs shows the sandbox's own network devices; allowed because it owns its netns.
            steps.add(new Step.Mount("sysfs", "sysfs", sys, "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, null));
        } else {
            steps.add(bind("host /sys", host("/sys"), sys));
            steps.add(new Step.SetMountAttributes(sys, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, true));
        }
        String tmp = targets.prepare("/tmp", true);
        steps.add(new Step.Mount("tmpfs", "tmpfs", inside(tmp), "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777"));
        return new ArrayList<>(List.of(Staging.display(dev), tmp));
    }

    /** Where a host keeps its services' sockets and programs their shared scratch files (docs/security.md, "Host sockets"). */
    static final List<String> PRIVATE_HOST_TREES = List.of("/run", "/var/run", "/var/tmp");
    private static final String RESOLV_CONF = "/etc/resolv.conf";

    /**
     * The host root's /run, /var/run (unless it leads to /run), /var/tmp and the user's runtime
     * directory become the sandbox's own empty tmpfs, with /run/lock for lock files, and the host's
     * resolv.conf where /etc/resolv.conf leads into them (systemd-resolved's stub file in /run).
     */
    private static void privateHostTrees(List<Step> steps, MountTargets targets, List<String> fresh, String runtimeDir) {
        String resolv = targets.resolve(RESOLV_CONF);
        for (String tree : PRIVATE_HOST_TREES) {
            String path = targets.resolve(tree);
            if (isUnderAny(path, fresh) || !targets.exists(path)) continue;
            String mode = tree.equals("/var/tmp") ? "mode=1777" : "mode=0755";
            steps.add(new Step.Mount("tmpfs", "tmpfs", inside(path), "tmpfs", MS_NOSUID | MS_NODEV, mode));
            fresh.add(path);
            if (tree.equals("/run")) {
                steps.add(new Step.MakeDirectory(inside(path + "/lock"), 0755));
                steps.add(new Step.Mount("tmpfs", "tmpfs", inside(path + "/lock"), "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777"));
            }
        }
        if (runtimeDir != null && runtimeDir.startsWith("/")) {
            String path = targets.resolve(runtimeDir);
            if (!isUnderAny(path, fresh) && targets.exists(path)) {
                steps.add(new Step.Mount("tmpfs", "tmpfs", inside(path), "tmpfs", MS_NOSUID | MS_NODEV, "mode=0700"));
                fresh.add(path);
            }
        }
        if (!resolv.equals(RESOLV_CONF) && isUnderAny(resolv, fresh) && targets.exists(resolv)) {
            userMount(steps, targets, fresh, new MountSpec.Bind(java.nio.file.Path.of(resolv), resolv, true));
        }
    }

    private static boolean isUnderAny(String path, List<String> trees) {
        for (String t : trees) if (path.equals(t) || path.startsWith(t + "/")) return true;
        return false;
    }

    private static void userMount(List<Step> steps, MountTargets targets, List<String> fresh, MountSpec mount) {
        if (mount instanceof MountSpec.Bind b) {
            String target = inside(mountPoint(steps, targets, fresh, b.target(), Files.isDirectory(b.source())));
            steps.add(bind("bind of " + b.source(), host(b.source().toString()), target));
            long attributes = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | (b.readOnly() ? MOUNT_ATTR_RDONLY : 0);
            steps.add(new Step.SetMountAttributes(target, attributes, true));
        } else if (mount instanceof MountSpec.Tmpfs t) {
            String target = mountPoint(steps, targets, fresh, t.target(), true);
            steps.add(new Step.Mount("tmpfs", "tmpfs", inside(target), "tmpfs", MS_NOSUID | MS_NODEV, t.options().isEmpty() ? "mode=0755" : t.options()));
            fresh.add(target);
        } else {
            throw new IllegalArgumentException("unknown mount " + mount.getClass().getSimpleName());
        }
    }

    /**
     * A mount point under a tmpfs this plan mounted (/tmp, /dev, an earlier --tmpfs) does not exist
     * in the root filesystem: the chain creates it there, component by component. Anything else is
     * resolved (and created) in the root filesystem by {@link MountTargets}.
     */
    private static String mountPoint(List<Step> steps, MountTargets targets, List<String> fresh, String target, boolean directory) {
        String path = targets.resolve(target);
        for (int i = fresh.size() - 1; i >= 0; i--) {
            String base = fresh.get(i);
            if (!path.equals(base) && !path.startsWith(base + "/")) continue;
            String[] below = path.substring(base.length()).split("/");
            StringBuilder current = new StringBuilder(base);
            for (int c = 0; c < below.length; c++) {
                if (below[c].isEmpty()) continue;
                current.append('/').append(below[c]);
                boolean last = c == below.length - 1;
                steps.add(last && !directory ? new Step.MakeFile(inside(current.toString())) : new Step.MakeDirectory(inside(current.toString()), 0755));
            }
            return path;
        }
        return targets.prepare(path, directory);
    }

    private static Step.Mount bind(String what, String source, String target) {
        return new Step.Mount(what, source, target, null, MS_BIND | MS_REC, null);
    }

    private static void leaveStaging(List<Step> steps, String workdir) {
        steps.add(new Step.ChangeDirectory(NEW_ROOT));
        // pivot_root(".", ".") stacks the staging tmpfs on top of the new root; detaching "." drops
        // it together with the host tree mounted on it at /oldroot. One lazy unmount, not two:
        // each waits for an RCU grace period (~0.1 ms).
        steps.add(new Step.PivotRoot(".", "."));
        steps.add(new Step.Detach("."));
        steps.add(new Step.ChangeDirectory(workdir));
    }

    private static String workdir(PlanInputs in, List<String> fresh) {
        SandboxSpec spec = in.spec();
        if (spec.workdir() != null) {
            return in.root() instanceof RootMount.HostRoot ? spec.workdir() : in.targets().prepare(spec.workdir(), true);
        }
        if (in.root() instanceof RootMount.HostRoot) return hostWorkdir(in.host().cwd(), spec, fresh);
        String image = in.image().workdir();
        return image == null || image.isEmpty() ? "/" : in.targets().prepare(image, true);
    }

    static boolean isNull(ProcessBuilder.Redirect r) {
        return (r.type() == ProcessBuilder.Redirect.Type.READ || r.type() == ProcessBuilder.Redirect.Type.WRITE)
                && r.file().getPath().equals("/dev/null");
    }

    /** The invoking directory, unless a sandbox-private mount hides it: then {@code /}. */
    static String hostWorkdir(String cwd, SandboxSpec spec, List<String> fresh) {
        List<String> hidden = new ArrayList<>(List.of("/tmp", "/proc", "/dev", "/sys"));
        hidden.addAll(fresh);
        spec.mounts().forEach(m -> hidden.add(m.target()));
        for (String h : hidden) {
            if (cwd.equals(h) || cwd.startsWith(h.endsWith("/") ? h : h + "/")) return "/";
        }
        return cwd;
    }

    /** The sandbox's hostname: --hostname, else --name, else the default. */
    public static String hostname(SandboxSpec spec) {
        if (spec.hostname() != null) return spec.hostname();
        return spec.name() != null ? spec.name() : DEFAULT_HOSTNAME;
    }

    private static IdMapping idMapping(SandboxSpec spec, HostFacts host, ImageDefaults image) {
        Identity workload = workloadIdentity(spec, image);
        return new IdMapping(spec.identity().userns(), host.uid(), host.gid(), workload.uid(), workload.gid());
    }

    /** Who the workload runs as: the user's --user, else the image's USER, else root. */
    public static Identity workloadIdentity(SandboxSpec spec, ImageDefaults image) {
        // The image's user first: without one, no record equals runs (the first costs a cold start ~10 ms).
        if (image.user() != null && !image.user().isEmpty() && spec.identity().equals(Identity.ROOT)) {
            return Identity.parseUser(spec.identity().userns(), image.user());
        }
        return spec.identity();
    }

    /**
     * The Landlock scopes the sandbox gets, 0 for none: under --network host the host's abstract
     * unix sockets (X11, D-Bus) unless allowed; a sandbox in its own netns has its own already. A
     * kernel without scoping (ABI < 6) runs the sandbox without it, as jbox doctor says.
     */
    static long landlockScopes(SandboxSpec spec, HostFacts host) {
        boolean wanted = spec.network().blocksHostAbstractSockets();
        return wanted && Landlock.scopesAbstractUnixSockets(host.landlockAbi()) ? Landlock.SCOPE_ABSTRACT_UNIX_SOCKET : 0;
    }

    private static void harden(List<Step> steps, Hardening hardening, IdMapping ids, boolean dieWithParent, long landlockScopes) {
        if (hardening.boundingDrop() != 0) steps.add(new Step.DropBoundingCapabilities(hardening.boundingDrop()));
        // With a single mapping the process already is insideUid; with subordinate ids it switches now.
        if (ids.mode() == UserNamespaceMode.AUTO && (ids.insideUid() != 0 || ids.insideGid() != 0)) {
            steps.add(new Step.SetIds(ids.insideUid(), ids.insideGid()));
        }
        if (hardening.effective() != -1) {
            steps.add(new Step.SetCapabilities(hardening.effective(), hardening.permitted(), hardening.inheritable()));
        }
        steps.add(new Step.NoNewPrivileges());
        // After the id switch: changing credentials clears the parent-death signal.
        if (dieWithParent) steps.add(new Step.DieWithParent(SIGKILL));
        // After no_new_privs (landlock_restrict_self needs it), before a filter that need not allow it.
        if (landlockScopes != 0) steps.add(new Step.RestrictLandlock(landlockScopes));
        if (hardening.seccompProgram() != null) {
            steps.add(new Step.InstallSeccomp(hardening.seccompProgram(), hardening.seccompInstructions(), hardening.seccompFlags(), hardening.seccompName()));
        }
    }

    private static ExecPlan exec(PlanInputs in, IdMapping ids) {
        SandboxSpec spec = in.spec();
        ImageDefaults image = in.image();
        List<String> argv = new ArrayList<>(image.entrypoint());
        argv.addAll(spec.command().isEmpty() ? image.cmd() : spec.command());
        if (argv.isEmpty()) throw new SpecException("the image has no default command: give one after --");
        Map<String, String> env = environment(spec, image, ids);
        return new ExecPlan(candidates(argv.getFirst(), env.get("PATH")), argv,
                env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    }

    /** Documented defaults, then the image's Env, then the user's: the later one wins. */
    static Map<String, String> environment(SandboxSpec spec, ImageDefaults image, IdMapping ids) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", DEFAULT_PATH);
        env.put("HOME", ids.insideUid() == 0 ? "/root" : "/");
        env.put("HOSTNAME", hostname(spec));
        env.put("container", "jbox");
        if (spec.tty()) env.put("TERM", "xterm");
        env.putAll(image.env());
        env.putAll(spec.env());
        return env;
    }

    /** Paths execve tries: the command itself if it has a slash, else each PATH entry, as execvp. */
    static List<String> candidates(String command, String path) {
        if (command.contains("/")) return List.of(command);
        List<String> out = new ArrayList<>();
        for (String dir : (path == null ? DEFAULT_PATH : path).split(":")) {
            String d = dir.isEmpty() ? "." : dir;
            out.add(d.endsWith("/") ? d + command : d + "/" + command);
        }
        return out;
    }
}
