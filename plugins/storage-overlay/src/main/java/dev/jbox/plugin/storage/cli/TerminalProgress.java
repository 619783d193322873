package dev.jbox.plugin.storage.cli;

import dev.jbox.plugin.storage.PullPlan;
import dev.jbox.plugin.storage.PullProgress;
import dev.jbox.plugin.storage.oci.Descriptor;
import dev.jbox.plugin.storage.oci.Digest;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/** One bar per layer, redrawn in place (ANSI cursor-up), at most ten times a second. */
final class TerminalProgress implements PullProgress {
    private static final int BAR = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    /** The state of one layer's row. */
    private static final class Row {
        final long total;
        long done;
        String state = "waiting";

        Row(long total) {
            this.total = total;
        }
    }

    private final PrintWriter out;
    private final Map<Digest, Row> rows = new LinkedHashMap<>();
    /** Printed below the bars once the image is stored, so they do not break the redrawing. */
    private final java.util.List<String> warnings = new java.util.ArrayList<>();
    private int drawnLines;
    private long lastDraw;

    TerminalProgress(PrintWriter out) {
        this.out = out;
    }

    @Override
    public synchronized void planned(PullPlan plan) {
        out.println("Copying " + plan.what());
        for (PullPlan.LayerStep l : plan.layers()) {
            Row row = new Row(l.blob().size());
            if (l.present()) row.state = "already stored";
            rows.put(l.blob().digest(), row);
        }
        draw(true);
    }

    @Override
    public synchronized void layerStarted(Descriptor blob) {
        rows.get(blob.digest()).state = "copying";
        draw(true);
    }

    @Override
    public synchronized void layerBytes(Descriptor blob, long bytes) {
        rows.get(blob.digest()).done = bytes;
        draw(false);
    }

    @Override
    public synchronized void layerDone(Descriptor blob, boolean reused) {
        Row row = rows.get(blob.digest());
        row.state = reused ? "stored by another pull" : "done";
        row.done = row.total;
        draw(true);
    }

    @Override
    public synchronized void layerWarning(Descriptor blob, String warning) {
        warnings.add("Warning: layer " + blob.digest().shortId() + ": " + warning);
    }

    @Override
    public synchronized void stored(dev.jbox.plugin.storage.store.ImageRecord image) {
        warnings.forEach(out::println);
        out.flush();
    }

    private void draw(boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastDraw < REDRAW_NANOS) return;
        lastDraw = now;
        StringBuilder s = new StringBuilder();
        if (drawnLines > 0) s.append("\033[").append(drawnLines).append('A');
        for (Map.Entry<Digest, Row> e : rows.entrySet()) {
            s.append("\033[2K\r").append(line(e.getKey(), e.getValue())).append('\n');
        }
        drawnLines = rows.size();
        out.print(s);
        out.flush();
    }

    static String line(Digest digest, Row row) {
        String head = "  " + digest.shortId() + " ";
        if (!row.state.equals("copying")) return head + row.state;
        int filled = row.total > 0 ? (int) Math.min(BAR, row.done * BAR / row.total) : 0;
        return head + "[" + "=".repeat(filled) + (filled < BAR ? ">" + " ".repeat(BAR - filled - 1) : "") + "] "
                + Units.size(row.done) + " / " + Units.size(row.total);
    }
}
