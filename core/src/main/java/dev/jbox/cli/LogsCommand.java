package dev.jbox.cli;

import dev.jbox.JboxException;
import dev.jbox.state.SandboxState;
import dev.jbox.state.SandboxView;
import dev.jbox.state.Sandboxes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.concurrent.Callable;

@Command(name = "logs", mixinStandardHelpOptions = true, description = "Print what a detached sandbox wrote to stdout and stderr.",
        footer = {"", "Examples:", "  jbox logs web", "  jbox logs -f web                follow until it exits (or Ctrl-C)"})
final class LogsCommand implements Callable<Integer> {
    private static final long POLL_MILLIS = 100;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new output while the sandbox runs.")
    boolean follow;

    @Parameters(paramLabel = "ID|NAME", description = "The sandbox.")
    String ref;

    @Override
    public Integer call() throws InterruptedException {
        Sandboxes sandboxes = Sandboxes.live();
        SandboxView sandbox = sandboxes.find(ref);
        try (InputStream log = Files.newInputStream(sandbox.dir().resolve("log"))) {
            log.transferTo(System.out);
            while (follow && stillWriting(sandboxes, sandbox.id())) {
                Thread.sleep(POLL_MILLIS);
                log.transferTo(System.out);
            }
            log.transferTo(System.out);  // what came between the last copy and the exit
            System.out.flush();
        } catch (IOException e) {
            throw new JboxException("reading the log of " + ref + ": " + e.getMessage(), "see jbox inspect " + ref);
        }
        return 0;
    }

    private static boolean stillWriting(Sandboxes sandboxes, String id) {
        try {
            return sandboxes.find(id).status() != SandboxState.Status.EXITED;
        } catch (JboxException removed) {
            return false;
        }
    }
}
