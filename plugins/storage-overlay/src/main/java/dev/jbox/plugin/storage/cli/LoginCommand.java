package dev.jbox.plugin.storage.cli;

import dev.jbox.JboxException;
import dev.jbox.plugin.storage.auth.AuthFiles;
import dev.jbox.plugin.storage.auth.Credentials;
import dev.jbox.plugin.storage.auth.Logins;
import dev.jbox.plugin.storage.auth.RegistryAuth;
import dev.jbox.plugin.storage.oci.ImageReference;
import dev.jbox.plugin.storage.source.RegistryClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "login", mixinStandardHelpOptions = true,
        description = {"Log in to a registry: check the credentials with it, then keep them where podman does",
                "($REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json), for jbox pull and podman alike."})
public final class LoginCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "REGISTRY", description = "host[:port], e.g. quay.io, 127.0.0.1:5000, docker.io")
    String registry;

    @Option(names = {"-u", "--username"}, paramLabel = "USER", description = "User name (asked for when not given).")
    String username;

    @Option(names = {"-p", "--password"}, paramLabel = "PASS", description = "Password or token (visible to other users in ps: prefer --password-stdin).")
    String password;

    @Option(names = "--password-stdin", description = "Read the password or token from stdin.")
    boolean passwordStdin;

    private final Map<String, String> env;

    public LoginCommand() {
        this(System.getenv());
    }

    /** With the environment given (tests). */
    public LoginCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() throws IOException {
        ImageReference target = ImageReference.registry(registry);
        Credentials credentials = new Credentials(username(), password(), "jbox login");
        AuthFiles files = new AuthFiles(env);
        new RegistryClient(target, new RegistryAuth(java.util.Optional.of(credentials), files)).checkCredentials();
        Logins logins = new Logins(files);
        logins.store(target, credentials);
        spec.commandLine().getOut().println("Login Succeeded! (" + logins.file() + ")");
        return 0;
    }

    private String username() {
        if (username != null) return username;
        java.io.Console console = System.console();
        if (console == null) throw new JboxException("no user name given", "give one with -u USER");
        String typed = console.readLine("Username: ");
        if (typed == null || typed.isBlank()) throw new JboxException("no user name given", "give one with -u USER");
        return typed.strip();
    }

    private String password() throws IOException {
        if (password != null && passwordStdin) throw new JboxException("--password and --password-stdin exclude each other", "give one of them");
        if (password != null) return password;
        if (passwordStdin) {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isEmpty()) throw new JboxException("no password on stdin", "pipe it in: echo \"$TOKEN\" | jbox login --password-stdin -u USER " + registry);
            return line;
        }
        java.io.Console console = System.console();
        if (console == null) throw new JboxException("no password given and no terminal to ask on", "use --password-stdin");
        char[] typed = console.readPassword("Password: ");
        if (typed == null) throw new JboxException("no password given");
        return new String(typed);
    }
}
