package dev.jbox.plugin.storage.source;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An uncompressed tar archive read in place, with random access ({@link TarFile}): an OCI layout
 * tar or a {@code docker save} file. Symlinks between entries (docker uses them for a layer shared
 * by two images) are resolved inside the archive.
 */
final class TarArchive implements ArchiveReader {
    private static final int MAX_LINK_HOPS = 8;
    private final TarFile tar;
    private final Map<String, TarArchiveEntry> entries = new HashMap<>();

    TarArchive(Path file) throws IOException {
        this.tar = new TarFile(file);
        for (TarArchiveEntry e : tar.getEntries()) entries.put(normalize(e.getName()), e);
    }

    /**
     * The entry's bytes. Layers are read by several threads at once, and TarFile's entry streams
     * share one channel (seek, then read): each read holds the archive's lock, so the pair is atomic.
     */
    @Override
    public Optional<InputStream> open(String name) throws IOException {
        TarArchiveEntry e = find(name);
        return e == null ? Optional.empty() : Optional.of(new SerialisedStream(tar.getInputStream(e), tar));
    }

    /** Reads of an entry stream, serialised on the archive. */
    private static final class SerialisedStream extends FilterInputStream {
        private final Object lock;

        SerialisedStream(InputStream in, Object lock) {
            super(in);
            this.lock = lock;
        }

        @Override
        public int read() throws IOException {
            synchronized (lock) {
                return in.read();
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            synchronized (lock) {
                return in.read(b, off, len);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            synchronized (lock) {
                return in.skip(n);
            }
        }
    }

    @Override
    public long size(String name) {
        TarArchiveEntry e = find(name);
        return e == null ? -1 : e.getSize();
    }

    private TarArchiveEntry find(String name) {
        String current = normalize(name);
        for (int hop = 0; hop < MAX_LINK_HOPS; hop++) {
            TarArchiveEntry e = entries.get(current);
            if (e == null) return null;
            boolean link = e.isSymbolicLink() || e.isLink();
            if (!link) return e.isDirectory() ? null : e; // isFile() is also true for links: test links first
            Path dir = e.isLink() ? Path.of("") : Path.of(current).getParent() == null ? Path.of("") : Path.of(current).getParent();
            String target = dir.resolve(e.getLinkName()).normalize().toString();
            if (target.startsWith("..") || target.startsWith("/")) return null;
            current = normalize(target);
        }
        return null;
    }

    private static String normalize(String name) {
        String n = name;
        while (n.startsWith("./")) n = n.substring(2);
        while (n.startsWith("/")) n = n.substring(1);
        return n.endsWith("/") ? n.substring(0, n.length() - 1) : n;
    }

    @Override
    public void close() throws IOException {
        tar.close();
    }
}
