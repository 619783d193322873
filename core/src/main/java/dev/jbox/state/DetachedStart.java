package dev.jbox.state;

import dev.jbox.JboxException;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

/**
 * The foreground half of {@code jbox run -d}: records the sandbox (reserving its name), starts the
 * monitor JVM, and waits for its one-line {@link Report}. The monitor's stderr goes to the
 * sandbox's log, so even a monitor that dies on its own leaves its words somewhere.
 */
public final class DetachedStart {
    private final StateStore store;

    public DetachedStart(StateStore store) {
        this.store = store;
    }

    /** Starts the monitor {@code command} for {@code state}; returns once the sandbox runs, or throws why it does not. */
    public void start(SandboxState state, List<String> command) {
        store.create(state);
        String id = state.id();
        Report report;
        int monitorStatus = -1;
        try {
            Process monitor = new ProcessBuilder(command).redirectInput(Redirect.from(new File("/dev/null")))
                    .redirectOutput(Redirect.PIPE).redirectError(Redirect.appendTo(store.log(id).toFile())).start();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(monitor.getInputStream(), StandardCharsets.UTF_8))) {
                String line = in.readLine();
                report = line == null ? null : Report.parse(line);
            }
            if (report == null) monitorStatus = monitor.waitFor();
        } catch (IOException | RuntimeException e) {
            store.remove(id);
            throw new JboxException("starting the sandbox monitor: " + e.getMessage(), null, JboxException.EXIT_JBOX, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JboxException("interrupted while the sandbox " + id + " started", "see jbox ps -a");
        }
        switch (report) {
            case Report.Started s -> { }
            case Report.Failed f -> {
                store.remove(id);  // the monitor removed it already; this covers a monitor that could not
                throw new JboxException(f.message(), null, f.exitCode(), null);
            }
            case null -> {
                String said = monitorWords(id);
                store.remove(id);
                throw new JboxException("the sandbox monitor exited (status " + monitorStatus + ") before starting the sandbox"
                        + (said.isEmpty() ? "" : ": " + said), "run the same command without -d to see the error");
            }
        }
    }

    private String monitorWords(String id) {
        try {
            return Files.readString(store.log(id)).strip().replace('\n', ' ');
        } catch (IOException e) {
            return "";
        }
    }
}
