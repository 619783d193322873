package dev.jbox.plugin.net;

import dev.jbox.JboxException;
import dev.jbox.spec.PortMapping;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * slirp4netns's API socket: one JSON request per connection, read with a single read(2), answered
 * with {@code {"return":{…}}} or {@code {"error":{"desc":"…"}}}. Two fixed message shapes with
 * validated numbers and IP literals do not justify a JSON library in the plugin.
 */
final class SlirpApi {
    private static final Pattern ERROR = Pattern.compile("\"error\"\\s*:\\s*\\{.*?\"desc\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"", Pattern.DOTALL);
    private static final Pattern RETURN = Pattern.compile("\"return\"\\s*:");

    private final Path socket;

    SlirpApi(Path socket) {
        this.socket = socket;
    }

    /** {@code add_hostfwd}: the host listens on {@code hostIp:hostPort}, slirp connects to the sandbox's port. */
    void addHostForward(PortMapping port) throws IOException {
        String reply = call(addHostForwardRequest(port));
        String error = errorOf(reply);
        if (error != null) {
            throw new JboxException("publishing " + port + " through slirp4netns: " + error,
                    "is host port " + port.hostPort() + "/" + port.protocol() + " in use? choose another one with -p HOSTPORT:" + port.containerPort());
        }
        if (!RETURN.matcher(reply).find()) {
            throw new JboxException("publishing " + port + " through slirp4netns: unexpected reply " + reply);
        }
    }

    static String addHostForwardRequest(PortMapping port) {
        return "{\"execute\":\"add_hostfwd\",\"arguments\":{\"proto\":\"" + port.protocol() + "\",\"host_addr\":\"" + port.hostIp()
                + "\",\"host_port\":" + port.hostPort() + ",\"guest_port\":" + port.containerPort() + "}}";
    }

    /** The error's description, or null for a success reply. */
    static String errorOf(String reply) {
        Matcher m = ERROR.matcher(reply);
        return m.find() ? m.group(1).replace("\\\"", "\"").replace("\\\\", "\\") : null;
    }

    private String call(String request) throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) ch.write(out);
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(4096);
            while (ch.read(in) >= 0) {
                reply.write(in.array(), 0, in.position());
                in.clear();
            }
            return reply.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException("slirp4netns API socket " + socket + ": " + e.getMessage(), e);
        }
    }
}
