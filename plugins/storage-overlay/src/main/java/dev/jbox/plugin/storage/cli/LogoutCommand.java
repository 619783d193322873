package dev.jbox.plugin.storage.cli;

import dev.jbox.JboxException;
import dev.jbox.plugin.storage.auth.AuthFiles;
import dev.jbox.plugin.storage.auth.Logins;
import dev.jbox.plugin.storage.oci.ImageReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "logout", mixinStandardHelpOptions = true,
        description = "Remove a registry's credentials from the file jbox login writes (podman's auth.json).")
public final class LogoutCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "REGISTRY", arity = "0..1", description = "host[:port]")
    String registry;

    @Option(names = {"-a", "--all"}, description = "Remove the credentials of every registry.")
    boolean all;

    private final Map<String, String> env;

    public LogoutCommand() {
        this(System.getenv());
    }

    /** With the environment given (tests). */
    public LogoutCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        Logins logins = new Logins(new AuthFiles(env));
        if (all == (registry != null)) throw new JboxException("give a registry or --all", "jbox logout quay.io, or jbox logout --all");
        if (all) {
            logins.removeAll();
            spec.commandLine().getOut().println("Removed login credentials for all registries");
            return 0;
        }
        ImageReference target = ImageReference.registry(registry);
        if (!logins.remove(target)) {
            throw new JboxException("not logged in to " + target.registry() + " (no entry in " + logins.file() + ")",
                    "credentials podman or docker keep elsewhere are theirs to remove (podman logout, docker logout)");
        }
        spec.commandLine().getOut().println("Removed login credentials for " + target.registry());
        return 0;
    }
}
