package dev.jbox.cli;

import dev.jbox.JboxException;
import dev.jbox.Sandbox;
import dev.jbox.launch.SandboxProcess;
import dev.jbox.plugins.Plugins;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.profile.Profile;
import dev.jbox.state.Monitor;
import dev.jbox.state.ProcFs;
import dev.jbox.state.Report;
import dev.jbox.state.StateStore;

import java.io.PrintStream;
import java.util.List;

/**
 * Main class of a detached sandbox's monitor JVM, started by {@code jbox run -d} (not by users):
 * {@code MonitorMain ID JBOX-ARGS…}. It parses the very arguments the foreground jbox got, so the
 * sandbox is the one {@code jbox run} without {@code -d} would start, then reports over stdout.
 */
public final class MonitorMain {
    private MonitorMain() {}

    public static void main(String[] args) throws InterruptedException {
        System.exit(run(args[0], List.of(args).subList(1, args.length), System.out));
    }

    static int run(String id, List<String> jboxArgs, PrintStream report) throws InterruptedException {
        // Before the launch: SIGTERM to the monitor is held, then stops the sandbox (its exit still gets recorded).
        SignalForwarder signals = SignalForwarder.install();
        Monitor monitor;
        SandboxProcess process;
        Sandbox sandbox;
        SandboxSpec spec;
        boolean remove;
        try {
            Profile layers = runCommand(jboxArgs).layers();
            spec = RunCommand.spec(layers);
            remove = Boolean.TRUE.equals(layers.run().remove());
            monitor = new Monitor(StateStore.open(), ProcFs.LIVE);
            sandbox = new Sandbox(Plugins.fromEnvironment());
            process = monitor.start(id, spec, sandbox);
        } catch (JboxException e) {
            return failed(report, e.exitCode(), e.userMessage());
        } catch (IllegalArgumentException e) {  // SpecException and other validation failures
            return failed(report, JboxException.EXIT_JBOX, e.getMessage());
        } catch (RuntimeException e) {
            return failed(report, JboxException.EXIT_JBOX, "internal error in the sandbox monitor: " + e);
        }
        signals.attach(process);
        report.println(new Report.Started().line());
        report.close();  // the foreground is gone soon; nothing more goes this way
        monitor.awaitAndRecord(id, process);
        if (remove) {  // run -d --rm: nothing of it stays, as with podman
            monitor.forget(id);
            KeptLayers.removeAfterRun(sandbox.plugins().storageProviders(), spec.name() != null ? spec.name() : id);
        }
        return 0;
    }

    private static RunCommand runCommand(List<String> jboxArgs) {
        String[] args = jboxArgs.toArray(String[]::new);
        return FastRunParser.parse(args).orElseGet(() -> JboxCommand.parseRun(args));
    }

    private static int failed(PrintStream report, int status, String message) {
        report.println(new Report.Failed(status, message).line());
        report.flush();
        return status;
    }
}
