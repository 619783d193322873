package dev.jbox.plugin.net;

import dev.jbox.JboxException;
import dev.jbox.spec.PortMapping;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * slirp4netns: a full TCP/IP stack (libslirp) in a helper process. Its DNS forwarder and the
 * sandbox's address are fixed by {@code --configure}; ports are published through its API socket.
 *
 * <p>The helper is started as {@code sh -c 'exec "$0" "$@" 3>&1 1>&2' slirp4netns …}: a Java
 * child gets only stdin, stdout and stderr, and slirp4netns needs two pipes plus a place for its
 * chatter. stdin is {@code --exit-fd} (the read end of a pipe whose write end only jbox holds, so
 * the helper exits when jbox does, even on SIGKILL), fd 3 is {@code --ready-fd} (jbox's stdout
 * pipe), and stdout and stderr go to the log. The shell execs, so the pid jbox holds is slirp4netns.
 *
 * <p>The target is the sandbox's pid, not {@code --netns-type=path}: with {@code --enable-sandbox}
 * an unprivileged slirp4netns enters the target's user namespace to become root there, and it
 * finds that namespace only through the pid (in path mode it fails with "setegid(0)").
 */
record Slirp4netns(Path binary, Path shell) implements Backend {
    static final String FD_PLUMBING = "exec \"$0\" \"$@\" 3>&1 1>&2";
    /** The largest MTU slirp4netns allows; podman's default too: fewer, larger packets through the helper. */
    static final int MTU = 65520;

    static Optional<Slirp4netns> findOptional(Executables path) {
        return path.find("slirp4netns").flatMap(b -> path.find("sh").map(sh -> new Slirp4netns(b, sh)));
    }

    static Slirp4netns find(Executables path) {
        return findOptional(path).orElseThrow(() -> new JboxException("--network slirp: slirp4netns is not installed (not found on PATH)",
                "install the slirp4netns package: apt install slirp4netns (dnf install slirp4netns)"));
    }

    @Override public String program() { return "slirp4netns"; }
    @Override public String packageName() { return "slirp4netns"; }
    @Override public String nameserver() { return "10.0.2.3"; }
    @Override public String sandboxAddress() { return "10.0.2.100"; }

    Path apiSocket(Attachment a) {
        return a.dir().resolve("slirp4netns.sock");
    }

    @Override
    public void checkPublishable(PortMapping port) {
        if (!(InetAddress.ofLiteral(port.hostIp()) instanceof Inet4Address)) {
            throw new JboxException("-p " + port + ": slirp4netns publishes on IPv4 addresses only",
                    "give an IPv4 host address (e.g. -p 127.0.0.1:" + port.hostPort() + ":" + port.containerPort() + "), or use --network pasta");
        }
    }

    @Override
    public List<String> command(int pid, Attachment a) {
        List<String> argv = new ArrayList<>(List.of(shell.toString(), "-c", FD_PLUMBING, binary.toString(),
                "--configure", "--mtu=" + MTU));
        if (!a.network().allowHostLoopback()) argv.add("--disable-host-loopback");
        // Its sandbox switches to uid/gid 0 in the target's user namespace: only possible where they are mapped.
        if (a.rootMapped()) argv.add("--enable-sandbox");
        argv.addAll(List.of("--enable-seccomp", "--exit-fd=0", "--ready-fd=3", "--api-socket", apiSocket(a).toString(),
                Integer.toString(pid), TAP));
        return argv;
    }

    @Override
    public void afterReady(Attachment a) throws IOException {
        SlirpApi api = new SlirpApi(apiSocket(a));
        for (PortMapping port : a.network().ports()) api.addHostForward(port);
    }
}
