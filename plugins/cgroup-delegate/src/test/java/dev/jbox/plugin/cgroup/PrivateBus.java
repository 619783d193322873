package dev.jbox.plugin.cgroup;

import org.junit.jupiter.api.Assumptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code dbus-daemon} on a private socket, started for one test class: the session bus the
 * systemd backend talks to, with {@link FakeSystemd} on it instead of a user manager.
 */
final class PrivateBus implements AutoCloseable {
    private static final Path DAEMON = Path.of("/usr/bin/dbus-daemon");

    private final Process daemon;
    private final String address;

    private PrivateBus(Process daemon, String address) {
        this.daemon = daemon;
        this.address = address;
    }

    static PrivateBus start(Path dir) throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(DAEMON), "dbus-daemon is not installed (apt-get install dbus-daemon): D-Bus tests skipped");
        Path config = dir.resolve("session.conf");
        Files.writeString(config, """
                <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
                 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
                <busconfig>
                  <type>session</type>
                  <listen>unix:path=%s</listen>
                  <auth>EXTERNAL</auth>
                  <policy context="default">
                    <allow send_destination="*" eavesdrop="true"/>
                    <allow eavesdrop="true"/>
                    <allow own="*"/>
                  </policy>
                </busconfig>
                """.formatted(dir.resolve("bus")));
        Process daemon = new ProcessBuilder(DAEMON.toString(), "--config-file=" + config, "--nofork", "--print-address")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        // The daemon prints its address once it listens.
        String address = new BufferedReader(new InputStreamReader(daemon.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (address == null) {
            daemon.destroy();
            throw new IOException("dbus-daemon exited without printing its address");
        }
        return new PrivateBus(daemon, address.trim());
    }

    String address() {
        return address;
    }

    @Override
    public void close() throws InterruptedException {
        daemon.destroy();
        if (!daemon.waitFor(5, TimeUnit.SECONDS)) daemon.destroyForcibly();
    }
}
