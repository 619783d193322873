package dev.jbox.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Unix sockets listening on the host, as a user's services would, and the probe a sandbox runs to
 * try connecting to each. Both are perl (Debian's perl-base is essential, and the default root
 * shows the host's), and names travel hex-encoded, so a name that is not UTF-8 works too.
 */
public final class HostSockets implements AutoCloseable {
    private static final String LISTEN = "use Socket; my @s; for my $h (@ARGV) { my $p = pack('H*', $h); unlink $p;"
            + " socket(my $s, PF_UNIX, SOCK_STREAM, 0) or die \"socket: $!\"; bind($s, pack_sockaddr_un($p)) or die \"bind $p: $!\";"
            + " listen($s, 64) or die \"listen: $!\"; push @s, $s } $| = 1; print \"ready\\n\"; <STDIN>; unlink map { pack('H*', $_) } @ARGV";
    private static final String PROBE = "use Socket; for my $h (@ARGV) { socket(my $s, PF_UNIX, SOCK_STREAM, 0) or die \"socket: $!\";"
            + " print $h, \"\\t\", (connect($s, pack_sockaddr_un(pack('H*', $h))) ? 'connected' : 'refused: ' . ($! + 0)), \"\\n\"; close $s }";

    private final Process listener;
    private final List<byte[]> names;

    private HostSockets(Process listener, List<byte[]> names) {
        this.listener = listener;
        this.names = names;
    }

    /** Listens on each path (raw bytes); returns once all are bound. */
    public static HostSockets listen(List<byte[]> paths) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/perl", "-e", LISTEN));
        for (byte[] p : paths) cmd.add(hex(p));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String ready = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (!"ready".equals(ready)) {
            p.destroyForcibly();
            throw new IOException("the host-side listeners did not start (perl said " + ready + ")");
        }
        return new HostSockets(p, List.copyOf(paths));
    }

    public static HostSockets listenOn(String... paths) throws IOException {
        List<byte[]> bytes = new ArrayList<>();
        for (String p : paths) bytes.add(p.getBytes(StandardCharsets.UTF_8));
        return listen(bytes);
    }

    /** The command a sandbox runs to try every socket: one line per socket, "HEX\tconnected" or "HEX\trefused: ERRNO". */
    public List<String> probe() {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/perl", "-e", PROBE));
        for (byte[] n : names) cmd.add(hex(n));
        return cmd;
    }

    /** The probe's answers by socket path (a name that is not UTF-8 shown with replacement characters). */
    public static Map<String, String> answers(String probeOutput) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : probeOutput.lines().toList()) {
            String[] f = line.split("\t", 2);
            if (f.length == 2) out.put(new String(HexFormat.of().parseHex(f[0]), StandardCharsets.UTF_8), f[1]);
        }
        return out;
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Override
    public void close() throws InterruptedException, IOException {
        listener.getOutputStream().close();
        if (!listener.waitFor(10, TimeUnit.SECONDS)) listener.destroyForcibly().waitFor();
    }
}
