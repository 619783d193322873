package dev.jbox.plugin.storage.cli;

import dev.jbox.plugin.storage.ImageStore;
import dev.jbox.plugin.storage.store.ImageRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

@Command(name = "images", description = "List the images in the local store.", mixinStandardHelpOptions = true)
public final class ImagesCommand extends StoreCommand {
    @Option(names = {"-q", "--quiet"}, description = "Print image IDs only.")
    boolean quiet;

    public ImagesCommand(Supplier<ImageStore> store) {
        super(store);
    }

    @Override
    public Integer call() {
        List<ImageRecord> images = new ArrayList<>(store().images());
        images.sort(Comparator.comparing(ImageRecord::name).thenComparing(ImageRecord::tag));
        PrintWriter out = out();
        if (quiet) {
            images.stream().map(i -> i.config().shortId()).distinct().forEach(out::println);
        } else {
            out.print(table(images, Instant.now()));
        }
        out.flush();
        return 0;
    }

    /** NAME TAG ID SIZE CREATED, columns as wide as their longest cell. */
    static String table(List<ImageRecord> images, Instant now) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "TAG", "ID", "SIZE", "CREATED"});
        for (ImageRecord i : images) {
            rows.add(new String[] {i.name(), i.tag(), i.config().shortId(), Units.size(i.size()), Units.age(i.created(), now)});
        }
        int[] width = new int[5];
        for (String[] r : rows) for (int c = 0; c < 5; c++) width[c] = Math.max(width[c], r[c].length());
        StringBuilder s = new StringBuilder();
        for (String[] r : rows) {
            for (int c = 0; c < 4; c++) s.append(r[c]).append(" ".repeat(width[c] - r[c].length() + 2));
            s.append(r[4]).append('\n');
        }
        return s.toString();
    }
}
