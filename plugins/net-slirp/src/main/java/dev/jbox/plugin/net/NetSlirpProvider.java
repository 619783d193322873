package dev.jbox.plugin.net;

import dev.jbox.plan.PlanCompiler;
import dev.jbox.spec.Identity;
import dev.jbox.spec.MountSpec;
import dev.jbox.spec.NetworkMode;
import dev.jbox.spec.NetworkSpec;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.spec.UserNamespaceMode;
import dev.jbox.spi.NetworkProvider;
import dev.jbox.spi.NetworkSetup;
import dev.jbox.spi.SandboxContext;
import org.pf4j.Extension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code --network slirp|pasta|auto}: checks everything that can be checked before launch
 * (helper installed, /dev/net/tun usable, host ports free), writes the sandbox's resolv.conf and
 * hosts, and returns the hooks that attach the helper at the checkpoint.
 */
@Extension
public final class NetSlirpProvider implements NetworkProvider {
    private static final Path HOST_RESOLV_CONF = Path.of("/etc/resolv.conf");

    private final Executables path;
    private final TunDevice tun;

    public NetSlirpProvider() {
        this(Executables.fromEnvironment(), TunDevice.DEFAULT);
    }

    NetSlirpProvider(Executables path, TunDevice tun) {
        this.path = path;
        this.tun = tun;
    }

    @Override
    public boolean supports(NetworkMode mode) {
        return mode.needsPlugin();
    }

    @Override
    public NetworkSetup prepare(SandboxContext context) throws IOException {
        SandboxSpec spec = context.spec();
        NetworkSpec network = spec.network();
        Backend backend = Backend.choose(network.mode(), path);
        tun.check(backend);
        PublishedPorts.check(network.ports(), backend);

        SandboxNetDir.sweepStale(context.runtimeDir());
        SandboxNetDir dir = SandboxNetDir.create(context.runtimeDir(), context.id(), context.hostUid());
        try {
            Path resolv = dir.writeReadable("resolv.conf", NetworkFiles.resolvConf(backend, hostResolvConf()));
            Path hosts = dir.writeReadable("hosts", NetworkFiles.hosts(backend, hostname(spec)));
            NetworkHooks hooks = new NetworkHooks(backend, new Attachment(network, rootMapped(spec.identity()), dir.path()), dir);
            return new NetworkSetup(List.of(new MountSpec.Bind(resolv, "/etc/resolv.conf", true),
                    new MountSpec.Bind(hosts, "/etc/hosts", true)), hooks);
        } catch (IOException | RuntimeException e) {
            dir.delete();
            throw e;
        }
    }

    /** uid and gid 0 exist in the sandbox's user namespace unless a single mapping puts the user elsewhere. */
    static boolean rootMapped(Identity identity) {
        return identity.userns() == UserNamespaceMode.AUTO || (identity.uid() == 0 && identity.gid() == 0);
    }

    /** The hostname the plan sets (PlanCompiler's rule: --hostname, else --name, else the default). */
    static String hostname(SandboxSpec spec) {
        if (spec.hostname() != null) return spec.hostname();
        return spec.name() != null ? spec.name() : PlanCompiler.DEFAULT_HOSTNAME;
    }

    private static String hostResolvConf() {
        try {
            return Files.readString(HOST_RESOLV_CONF);
        } catch (IOException e) {
            return "";  // No host resolver configuration: the forwarder alone.
        }
    }
}
