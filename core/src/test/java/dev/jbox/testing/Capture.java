package dev.jbox.testing;

import dev.jbox.Sandbox;
import dev.jbox.launch.SandboxProcess;
import dev.jbox.spec.SandboxSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a sandbox with piped stdout/stderr and collects what it printed and its exit status. */
public record Capture(int status, String out, String err) {
    public static Capture run(SandboxSpec.Builder spec) {
        return run(Sandbox.start(spec.stdout(Redirect.PIPE).stderr(Redirect.PIPE).build()));
    }

    public static Capture run(SandboxProcess p) {
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("sandbox did not exit within 60 s");
            }
            return new Capture(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new AssertionError("running sandbox: " + e, e);
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
