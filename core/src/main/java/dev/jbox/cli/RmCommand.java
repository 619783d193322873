package dev.jbox.cli;

import dev.jbox.JboxException;
import dev.jbox.plugins.Plugins;
import dev.jbox.spi.StorageProvider;
import dev.jbox.state.SandboxView;
import dev.jbox.state.Sandboxes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove sandboxes: a detached one's state and log, and the writable layer kept for a named image sandbox.",
        footer = {"", "Examples:", "  jbox rm web", "  jbox rm -f web                  kill it first if it runs", "  jbox rm -a                      every exited sandbox"})
final class RmCommand implements Callable<Integer> {
    @Option(names = {"-f", "--force"}, description = "Remove running sandboxes too (SIGKILL first).")
    boolean force;

    @Option(names = {"-a", "--all"}, description = "Remove all sandboxes (running ones only with -f).")
    boolean all;

    @Parameters(paramLabel = "ID|NAME", arity = "0..*", description = "Sandboxes to remove.")
    List<String> refs = new ArrayList<>();

    @Override
    public Integer call() {
        List<String> targets = new ArrayList<>(refs);
        if (all) Sandboxes.live().list().stream().filter(s -> force || !s.isRunning()).map(SandboxView::id).forEach(targets::add);
        if (targets.isEmpty() && !all) throw new IllegalArgumentException("give the sandboxes to remove (ID or NAME), or -a");
        Sandboxes sandboxes = Sandboxes.live();
        List<StorageProvider> storage = Plugins.fromEnvironment().storageProviders();
        int status = 0;
        for (String ref : targets) {
            try {
                remove(sandboxes, storage, ref);
                System.out.println(ref);
            } catch (JboxException e) {
                System.err.println("jbox: " + e.userMessage());
                status = e.exitCode();
            }
        }
        return status;
    }

    /**
     * A detached sandbox: its state, then what storage keeps for it (its writable layer). A name
     * with no state (a foreground {@code run --name}) may still have a kept writable layer.
     */
    private void remove(Sandboxes sandboxes, List<StorageProvider> storage, String ref) {
        SandboxView found;
        try {
            found = sandboxes.find(ref);
        } catch (JboxException noSuchSandbox) {
            if (KeptLayers.remove(storage, ref)) return;
            throw noSuchSandbox;
        }
        sandboxes.remove(found, force);
        KeptLayers.remove(storage, found.id());
        if (found.state().name() != null) KeptLayers.remove(storage, found.state().name());
    }
}
