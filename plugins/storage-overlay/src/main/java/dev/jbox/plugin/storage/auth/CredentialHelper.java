package dev.jbox.plugin.storage.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jbox.JboxException;
import dev.jbox.plugin.storage.Programs;
import dev.jbox.plugin.storage.oci.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Docker's credential helper protocol: {@code docker-credential-<name> get} reads the server
 * address on stdin and prints {@code {"ServerURL", "Username", "Secret"}}; "credentials not found"
 * (exit 1) means it has none.
 */
final class CredentialHelper {
    private CredentialHelper() {}

    private static final long TIMEOUT_SECONDS = 30;

    record Answer(@JsonProperty("ServerURL") String serverUrl, @JsonProperty("Username") String username, @JsonProperty("Secret") String secret) {}

    static Optional<Credentials> get(String name, String serverAddress, String pathVariable, String configuredIn) {
        String program = "docker-credential-" + name;
        Path executable = Programs.find(program, pathVariable).orElseThrow(() -> new JboxException(
                program + " is not installed (the credential helper " + configuredIn + " names for " + serverAddress + ")",
                "install it, or remove the entry from " + configuredIn));
        String source = "credential helper " + program;
        try {
            Process p = new ProcessBuilder(List.of(executable.toString(), "get")).redirectError(ProcessBuilder.Redirect.PIPE).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(serverAddress.getBytes(StandardCharsets.UTF_8));
            } catch (IOException notReading) {
                // It answered without reading the server (a fixed answer, or "not found"): what it printed decides.
            }
            // stderr drained alongside stdout, so a talkative helper cannot block on a full pipe.
            java.util.concurrent.CompletableFuture<String> errors = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                } catch (IOException e) {
                    return "";
                }
            });
            byte[] out = p.getInputStream().readAllBytes();
            String err = errors.join();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new JboxException(source + " did not answer within " + TIMEOUT_SECONDS + " s");
            }
            String said = new String(out, StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0) {
                if (said.toLowerCase(java.util.Locale.ROOT).contains("credentials not found")) return Optional.empty();
                throw new JboxException(source + " failed for " + serverAddress + " (exit status " + p.exitValue() + "): "
                        + (err.isEmpty() ? said : err), "try it by hand: echo " + serverAddress + " | " + program + " get");
            }
            Answer a = Json.parse(out, Answer.class, "the answer of " + source);
            if (a.username() == null || a.secret() == null) throw new JboxException(source + " answered without Username or Secret for " + serverAddress);
            if (a.username().equals("<token>")) {
                throw new JboxException(source + " holds an identity token for " + serverAddress + ", which jbox cannot use yet",
                        "log in with a user name and password or access token (podman login / docker login)");
            }
            return Optional.of(new Credentials(a.username(), a.secret(), source));
        } catch (IOException e) {
            throw new JboxException("running " + executable + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JboxException("running " + executable + ": interrupted");
        }
    }
}
