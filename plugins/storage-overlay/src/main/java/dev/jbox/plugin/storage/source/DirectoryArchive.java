package dev.jbox.plugin.storage.source;

import dev.jbox.plugin.storage.layer.EntryPath;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** An unpacked archive (an OCI layout directory, an extracted {@code docker save}). */
final class DirectoryArchive implements ArchiveReader {
    private final Path dir;

    DirectoryArchive(Path dir) {
        this.dir = dir;
    }

    @Override
    public Optional<InputStream> open(String name) throws IOException {
        Path p = resolve(name);
        return Files.isRegularFile(p) ? Optional.of(Files.newInputStream(p)) : Optional.empty();
    }

    @Override
    public long size(String name) throws IOException {
        Path p = resolve(name);
        return Files.isRegularFile(p) ? Files.size(p) : -1;
    }

    private Path resolve(String name) {
        Path p = dir;
        for (String part : EntryPath.parse(name).components()) p = p.resolve(part);
        return p;
    }
}
