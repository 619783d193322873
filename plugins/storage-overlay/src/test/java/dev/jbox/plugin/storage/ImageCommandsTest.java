package dev.jbox.plugin.storage;

import dev.jbox.JboxException;
import dev.jbox.plugin.storage.layer.Compression;
import dev.jbox.plugin.storage.store.Trees;
import dev.jbox.spi.ExitStatus;
import dev.jbox.spi.PreparedRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The plugin's picocli commands as the CLI will run them: pull, import, images, rmi. */
class ImageCommandsTest {
    @TempDir
    Path tmp;
    ImageStore store;
    CommandLine jbox;
    StringWriter out;
    StringWriter err;

    @BeforeEach
    void cli() {
        store = Fixtures.store(tmp);
        // What the lead's CLI does with a CommandProvider: add each command, map JboxException to its exit code.
        jbox = new CommandLine(new Root());
        for (Object command : new StorageCommands(() -> store).commands()) jbox.addSubcommand(command);
        jbox.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (!(e instanceof JboxException j)) throw e;
            cmd.getErr().println("jbox: " + j.userMessage());
            return j.exitCode();
        });
    }

    @CommandLine.Command(name = "jbox")
    static final class Root {}

    @AfterEach
    void deleteStore() {
        Trees.delete(store.layout().root());
    }

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        jbox.setOut(new PrintWriter(out, true));
        jbox.setErr(new PrintWriter(err, true));
        return jbox.execute(args);
    }

    @Test
    void theProviderContributesItsCommands() {
        assertEquals(List.of("images", "pull", "import", "rmi", "login", "logout"),
                new StorageCommands(() -> store).commands().stream().map(c -> new CommandLine(c).getCommandName()).toList());
    }

    @Test
    void pullImagesAndRmiReadLikePodman() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start(tmp)) {
            TestImage image = Fixtures.busyboxImage(Compression.GZIP);
            String ref = registry.push("demo/busybox", "1.0", image);

            assertEquals(0, run("pull", ref), err.toString());
            assertEquals(image.configDigest().hex() + "\n", out.toString(), "stdout: the image ID only");
            assertTrue(err.toString().contains("3 layers, 3 to fetch"), err.toString());
            assertEquals(3, err.toString().lines().filter(l -> l.matches("Layer \\p{XDigit}{12} stored")).count(), err.toString());

            assertEquals(0, run("images"));
            List<String> lines = out.toString().lines().toList();
            assertTrue(lines.get(0).matches("NAME +TAG +ID +SIZE +CREATED"), lines.get(0));
            assertTrue(lines.get(1).matches(registry.host().replace(".", "\\.") + "/demo/busybox +1\\.0 +" + image.configDigest().shortId()
                    + " +[0-9.]+ [kM]B +\\d+ \\w+ ago"), lines.get(1));

            PreparedRoot kept = new OverlayStorageProvider(store).prepare(Fixtures.context("c1", ref, "keeper", tmp));
            kept.hooks().exited(ExitStatus.exited(0));
            kept.hooks().close();
            assertEquals(125, run("rmi", ref));
            assertTrue(err.toString().startsWith("jbox: image " + ref + " is in use by sandbox keeper (kept)"), err.toString());
            new OverlayStorageProvider(store).remove("keeper");

            assertEquals(0, run("rmi", image.configDigest().shortId()));
            assertEquals("Untagged: " + ref + "\nDeleted: " + image.configDigest().hex() + "\n", out.toString());
            assertEquals(0, run("images", "-q"));
            assertEquals("", out.toString());
        }
    }

    @Test
    void importNamesTheImageUnderLocalhost() throws Exception {
        TestImage image = Fixtures.smallImage(3);
        Path tar = ArchiveWriter.dockerSave(tmp.resolve("save.tar"), image, "whatever:1", false);
        assertEquals(0, run("import", "-q", tar.toString(), "mine:2"), err.toString());
        assertEquals(image.configDigest().hex() + "\n", out.toString());
        assertEquals(0, run("images"));
        assertTrue(out.toString().contains("localhost/mine"), out.toString());
        assertEquals(125, run("rmi", "nothing"));
        assertTrue(err.toString().contains("image nothing is not in the local store"), err.toString());
    }
}
