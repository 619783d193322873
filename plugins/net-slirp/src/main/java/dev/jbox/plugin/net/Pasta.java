package dev.jbox.plugin.net;

import dev.jbox.JboxException;
import dev.jbox.spec.PortMapping;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * pasta (from passt): translates the sandbox's layer 2 to host layer 4 sockets, and splices local
 * TCP connections straight between the namespaces. Ports are published with {@code -t}/{@code -u}.
 *
 * <p>pasta has no exit-fd and (up to at least 2023-03) does not quit when the target namespace
 * dies, so jbox runs it in the foreground as its own child, under {@code setpriv --pdeathsig KILL}
 * from a thread that lives exactly as long as the helper ({@link HelperProcess}): if jbox dies, the
 * kernel kills pasta. Readiness: pasta writes its pid file once it is configured, and the pid
 * file is its own stdout ({@code --pid /proc/self/fd/1}), which jbox reads.
 *
 * <p>Everything pasta would do by itself beyond the request is off: no automatic port forwarding
 * either way ({@code -t none -u none -T none -U none}), so the host's loopback services stay out
 * of reach, and no mapping of the gateway address to the host ({@code --no-map-gw}) unless
 * {@code --allow-host-loopback}. DNS goes to {@value #DNS_FORWARD}, which pasta forwards to the
 * host's resolver, as podman does (the host's own resolver may be a loopback address).
 */
record Pasta(Path binary, Path setpriv) implements Backend {
    static final String DNS_FORWARD = "169.254.1.1";

    static Optional<Pasta> findOptional(Executables path) {
        return path.find("pasta").flatMap(b -> path.find("setpriv").map(s -> new Pasta(b, s)));
    }

    static Pasta find(Executables path) {
        Path pasta = path.find("pasta").orElseThrow(() -> new JboxException("--network pasta: pasta is not installed (not found on PATH)",
                "install the passt package: apt install passt (dnf install passt)"));
        Path setpriv = path.find("setpriv").orElseThrow(() -> new JboxException("--network pasta: setpriv is not installed (not found on PATH)",
                "install util-linux (setpriv ties pasta's life to jbox's)"));
        return new Pasta(pasta, setpriv);
    }

    @Override public String program() { return "pasta"; }
    @Override public String packageName() { return "passt"; }
    @Override public String nameserver() { return DNS_FORWARD; }
    /** pasta gives the sandbox the host's own address; the hostname resolves on loopback instead. */
    @Override public String sandboxAddress() { return "127.0.1.1"; }

    @Override
    public void checkPublishable(PortMapping port) {
        // pasta binds IPv4 and IPv6 addresses alike.
    }

    @Override
    public List<String> command(int pid, Attachment a) {
        List<String> argv = new ArrayList<>(List.of(setpriv.toString(), "--pdeathsig", "KILL", "--", binary.toString(),
                "--foreground", "--quiet", "--config-net", "--ns-ifname", TAP, "--pid", "/proc/self/fd/1",
                "--dns-forward", DNS_FORWARD));
        argv.addAll(forwards(a, "tcp", "--tcp-ports"));
        argv.addAll(forwards(a, "udp", "--udp-ports"));
        argv.addAll(List.of("--tcp-ns", "none", "--udp-ns", "none"));
        if (!a.network().allowHostLoopback()) argv.add("--no-map-gw");
        argv.add(Integer.toString(pid));
        return argv;
    }

    /**
     * One {@code OPTION ADDR/HOSTPORT:PORT} per published port of a protocol (an address applies to
     * a whole option), or {@code OPTION none}: pasta's default, {@code auto}, would forward every
     * port the sandbox listens on.
     */
    static List<String> forwards(Attachment a, String protocol, String option) {
        List<String> out = new ArrayList<>();
        for (PortMapping p : a.network().ports()) {
            if (p.protocol().equals(protocol)) out.addAll(List.of(option, p.hostIp() + "/" + p.hostPort() + ":" + p.containerPort()));
        }
        return out.isEmpty() ? List.of(option, "none") : out;
    }
}
