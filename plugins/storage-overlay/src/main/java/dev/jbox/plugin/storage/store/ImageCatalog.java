package dev.jbox.plugin.storage.store;

import dev.jbox.plugin.storage.oci.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * {@code images.json}: the tags the store knows. Readers need no lock (the file is only ever
 * replaced by rename); writers serialise on {@code images.lock} and read-modify-write.
 */
public final class ImageCatalog {
    /** The file's shape. */
    record CatalogFile(List<ImageRecord> images) {
        CatalogFile {
            images = images == null ? List.of() : List.copyOf(images);
        }
    }

    private final StoreLayout layout;

    public ImageCatalog(StoreLayout layout) {
        this.layout = layout;
    }

    public List<ImageRecord> list() {
        try {
            return Json.parse(Files.readAllBytes(layout.catalog()), CatalogFile.class, layout.catalog().toString()).images();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + layout.catalog(), e);
        }
    }

    /** Replaces the list with {@code change(list)} atomically with respect to other writers. */
    public List<ImageRecord> update(UnaryOperator<List<ImageRecord>> change) {
        try (FileLocks.Held _ = FileLocks.exclusive(layout.catalogLock())) {
            List<ImageRecord> updated = change.apply(new ArrayList<>(list()));
            Path tmp = Files.createTempFile(layout.tmp(), "images-", ".json");
            Files.write(tmp, Json.write(new CatalogFile(updated)));
            Files.move(tmp, layout.catalog(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return updated;
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + layout.catalog(), e);
        }
    }

    /** Adds {@code image}, replacing whatever had its name and tag. */
    public void put(ImageRecord image) {
        update(list -> {
            list.removeIf(r -> r.name().equals(image.name()) && r.tag().equals(image.tag()));
            list.add(image);
            return list;
        });
    }
}
