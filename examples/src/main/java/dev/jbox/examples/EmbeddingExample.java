package dev.jbox.examples;

import dev.jbox.Sandbox;
import dev.jbox.launch.SandboxProcess;
import dev.jbox.spec.SandboxSpec;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Embedding jbox in a JVM application: run an untrusted shell snippet in a sandbox whose root is a
 * directory, with one read-only input directory, and collect its output.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp … dev.jbox.examples.EmbeddingExample ROOTFS INPUT_DIR</pre>
 */
public final class EmbeddingExample {
    private EmbeddingExample() {}

    /** Counts the lines of every file in {@code input}, inside a sandbox. */
    public static String countLines(Path rootfs, Path input) throws IOException, InterruptedException {
        SandboxSpec spec = SandboxSpec.builder()
                .rootfs(rootfs)
                .bind(input, "/input", true)
                .workdir("/input")
                .command("/bin/sh", "-c", "wc -l *")
                .stdout(Redirect.PIPE)
                .build();
        SandboxProcess process = Sandbox.start(spec);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = process.waitFor();
        if (status != 0) throw new IOException("the sandbox exited with " + status);
        return output;
    }

    public static void main(String[] args) throws Exception {
        System.out.print(countLines(Path.of(args[0]), Path.of(args[1])));
    }
}
