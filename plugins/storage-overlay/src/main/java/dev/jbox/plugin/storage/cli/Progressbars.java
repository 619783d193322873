package dev.jbox.plugin.storage.cli;

import dev.jbox.plugin.storage.PullProgress;

import java.io.PrintWriter;

/** Chooses how a pull reports progress: redrawn bars on a terminal, one line per event otherwise. */
public final class Progressbars {
    private Progressbars() {}

    public static PullProgress forStream(PrintWriter out, boolean terminal) {
        return terminal ? new TerminalProgress(out) : new LineProgress(out);
    }

    /** Whether jbox talks to a terminal (not a pipe, a file or a CI log). */
    public static boolean onTerminal() {
        java.io.Console console = System.console();
        return console != null && console.isTerminal();
    }
}
