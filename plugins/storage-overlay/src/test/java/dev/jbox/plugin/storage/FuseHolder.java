package dev.jbox.plugin.storage;

import dev.jbox.Sandbox;
import dev.jbox.plugin.storage.store.StoreLayout;
import dev.jbox.plugins.Plugins;
import dev.jbox.spec.RootFs;
import dev.jbox.spec.SandboxSpec;

import java.nio.file.Path;
import java.util.List;

/**
 * A stand-in for the jbox CLI that a test can SIGKILL: runs a shell waiting on stdin in a sandbox on a
 * fuse-overlayfs root (dying with its parent, as the CLI's do), prints the helper's and the
 * sandbox's pids, and waits. Arguments: STORE REF.
 */
public final class FuseHolder {
    private FuseHolder() {}

    public static void main(String[] args) throws Exception {
        Path storeRoot = Path.of(args[0]);
        Sandbox jbox = new Sandbox(Plugins.of(List.of(new OverlayStorageProvider(new ImageStore(new StoreLayout(storeRoot)))), List.of(), List.of()));
        var p = jbox.launch(SandboxSpec.builder().rootfs(new RootFs.Image(args[1], FuseOverlaySandboxTest.FORCE_FUSE))
                .command("/bin/sh", "-c", "read x").dieWithParent(true).build());
        long helper = FuseOverlay.processesFor(storeRoot).stream()
                .filter(pid -> ProcessHandle.of(pid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElse(-1L) == ProcessHandle.current().pid())
                .findFirst().orElseThrow();
        System.out.println(helper + " " + p.pid());
        System.out.flush();
        p.waitFor();
    }
}
