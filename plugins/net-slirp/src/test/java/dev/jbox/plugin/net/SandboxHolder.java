package dev.jbox.plugin.net;

import dev.jbox.spec.NetworkMode;
import dev.jbox.spec.NetworkSpec;
import dev.jbox.spec.SandboxSpec;

import java.nio.file.Path;
import java.util.List;

/**
 * A stand-in for the jbox CLI that a test can SIGKILL: starts {@code sleep} in a networked sandbox,
 * prints the helper's and the sandbox's pids, and waits. Arguments: MODE ROOTFS DIE_WITH_PARENT
 * (the CLI's sandboxes die with it; a library user's need not).
 */
public final class SandboxHolder {
    private SandboxHolder() {}

    public static void main(String[] args) throws Exception {
        NetworkMode mode = NetworkMode.valueOf(args[0]);
        var p = NetTesting.SANDBOX.launch(SandboxSpec.builder().rootfs(Path.of(args[1])).command("sleep", "1000")
                .network(new NetworkSpec(mode, List.of(), false)).dieWithParent(Boolean.parseBoolean(args[2])).build());
        System.out.println(NetTesting.onlyHelper().pid() + " " + p.pid());
        System.out.flush();
        p.waitFor();
    }
}
