package dev.jbox.plugin.storage.cli;

import dev.jbox.plugin.storage.PullPlan;
import dev.jbox.plugin.storage.PullProgress;
import dev.jbox.plugin.storage.oci.Descriptor;
import dev.jbox.plugin.storage.store.ImageRecord;

import java.io.PrintWriter;

/** Plain lines for logs and pipes: one when a layer starts, one when it is stored. */
final class LineProgress implements PullProgress {
    private final PrintWriter out;

    LineProgress(PrintWriter out) {
        this.out = out;
    }

    @Override
    public synchronized void planned(PullPlan plan) {
        int missing = plan.missing().size();
        out.println("Copying " + plan.what() + ": " + plan.layers().size() + " layers, " + missing + " to fetch ("
                + Units.size(plan.downloadSize()) + ")");
        for (PullPlan.LayerStep l : plan.layers()) {
            if (l.present()) out.println("Layer " + l.blob().digest().shortId() + " already stored");
        }
        out.flush();
    }

    @Override
    public synchronized void layerStarted(Descriptor blob) {
        out.println("Copying layer " + blob.digest().shortId() + " (" + Units.size(blob.size()) + ")");
        out.flush();
    }

    @Override
    public synchronized void layerWarning(Descriptor blob, String warning) {
        out.println("Warning: layer " + blob.digest().shortId() + ": " + warning);
        out.flush();
    }

    @Override
    public synchronized void layerDone(Descriptor blob, boolean reused) {
        out.println("Layer " + blob.digest().shortId() + (reused ? " stored meanwhile by another pull" : " stored"));
        out.flush();
    }

    @Override
    public synchronized void stored(ImageRecord image) {
        out.println("Stored " + image.reference());
        out.flush();
    }
}
