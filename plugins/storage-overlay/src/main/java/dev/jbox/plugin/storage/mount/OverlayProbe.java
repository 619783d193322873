package dev.jbox.plugin.storage.mount;

import dev.jbox.JboxException;
import dev.jbox.launch.Launcher;
import dev.jbox.linux.CloneFlags;
import dev.jbox.linux.Linux;
import dev.jbox.plan.ExecPlan;
import dev.jbox.plan.IdMapping;
import dev.jbox.plan.LaunchPlan;
import dev.jbox.plan.Step;
import dev.jbox.plugin.storage.store.StoreLayout;
import dev.jbox.plugin.storage.store.Trees;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.spec.UserNamespaceMode;
import dev.jbox.spi.LaunchHooks;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Whether the kernel mounts overlayfs for this unprivileged user on the store's filesystem: one real
 * mount of a tiny overlay in the store's {@code tmp/}, inside a throwaway user and mount namespace,
 * through jbox's own launcher (so the answer carries the errno). The answer is kept in the store
 * for the rest of this boot ({@code overlay-probe}: boot id, then {@code ok} or {@code refused: …}),
 * an {@code ok} only as long as {@code /proc/filesystems} lists overlay.
 */
final class OverlayProbe {
    private OverlayProbe() {}

    private static final String PROBE_STEP = "overlay probe";
    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");
    private static final Path FILESYSTEMS = Path.of("/proc/filesystems");

    static MounterChoice.KernelOverlay cached(StoreLayout layout) {
        Path file = layout.root().resolve("overlay-probe");
        String boot = LiveHost.read(BOOT_ID);
        MounterChoice.KernelOverlay known = read(file, boot);
        // "ok" stands only while overlay is a registered filesystem: its module may have been unloaded
        // (and blocked) since; then probe again (a probe's mount may also load it back).
        if (known != null && (!known.works() || overlayRegistered())) return known;
        MounterChoice.KernelOverlay probed = probe(layout);
        if (probed == null) return MounterChoice.KernelOverlay.WORKS;  // undecided: the launch itself will say what fails
        write(file, boot, probed, layout);
        return probed;
    }

    private static boolean overlayRegistered() {
        return LiveHost.read(FILESYSTEMS).lines().anyMatch(l -> l.endsWith("\toverlay"));
    }

    /** The recorded answer if it was recorded during this boot, else null. */
    static MounterChoice.KernelOverlay read(Path file, String boot) {
        try {
            List<String> lines = Files.readAllLines(file);
            if (lines.size() != 2 || !lines.get(0).equals(boot)) return null;
            if (lines.get(1).equals("ok")) return MounterChoice.KernelOverlay.WORKS;
            if (lines.get(1).startsWith("refused: ")) return new MounterChoice.KernelOverlay(false, lines.get(1).substring(9));
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    static void write(Path file, String boot, MounterChoice.KernelOverlay answer, StoreLayout layout) {
        String text = boot + "\n" + (answer.works() ? "ok" : "refused: " + answer.detail().replace('\n', ' ')) + "\n";
        try {
            Path tmp = Files.createTempFile(layout.tmp(), "overlay-probe", "");
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // Not recorded: the next sandbox probes again.
        }
    }

    /** Mounts lower+upper on merged as a sandbox would; null if the probe could not even start. */
    static MounterChoice.KernelOverlay probe(StoreLayout layout) {
        Path dir = layout.newTempDir("overlay-probe");
        try {
            for (String d : List.of("lower", "upper", "work", "merged")) Files.createDirectory(dir.resolve(d));
            Files.writeString(dir.resolve("lower/file"), "probe");
            int uid = Linux.getuid(), gid = Linux.getgid();
            List<Step> steps = List.of(new Step.Unshare(CloneFlags.CLONE_NEWNS), new Step.MakeMountsPrivate(),
                    new Step.ChangeDirectory(dir.toString()),
                    new Step.Mount(PROBE_STEP, "overlay", "merged", "overlay", 0, "lowerdir=lower,upperdir=upper,workdir=work,userxattr"));
            LaunchPlan plan = new LaunchPlan(CloneFlags.CLONE_NEWUSER, new IdMapping(UserNamespaceMode.SINGLE, uid, gid, 0, 0), steps,
                    new ExecPlan(List.of("/bin/true", "/usr/bin/true"), List.of("true"), List.of()));
            SandboxSpec io = SandboxSpec.builder().command("true").stdin(Redirect.from(new File("/dev/null")))
                    .stdout(Redirect.DISCARD).stderr(Redirect.DISCARD).build();
            Launcher.launch(plan, io, LaunchHooks.NONE, System.getProperty("user.name")).waitFor();
            return MounterChoice.KernelOverlay.WORKS;
        } catch (JboxException e) {
            // "mounting overlay probe on merged: mount: EPERM (Operation not permitted)": the part after the step.
            String m = e.getMessage();
            return m.startsWith("mounting " + PROBE_STEP) ? new MounterChoice.KernelOverlay(false, m.substring(m.indexOf(": ") + 2)) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            Trees.delete(dir);
        }
    }
}
