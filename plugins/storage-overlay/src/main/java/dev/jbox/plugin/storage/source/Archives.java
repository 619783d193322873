package dev.jbox.plugin.storage.source;

import dev.jbox.JboxException;
import dev.jbox.plugin.storage.layer.Compression;
import dev.jbox.plugin.storage.oci.Platform;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Opens an image archive of any supported kind: OCI layout (directory or tar) or {@code docker save} output. */
public final class Archives {
    private Archives() {}

    /**
     * The image in {@code file}; {@code tag} picks one when the archive holds several. A compressed
     * tar is first decompressed into {@code scratch} (random access needs a plain file).
     */
    public static ImageSource open(Path file, String tag, Platform platform, Path scratch) throws IOException {
        if (!Files.exists(file)) throw new JboxException("importing " + file + ": no such file or directory");
        ArchiveReader archive = Files.isDirectory(file) ? new DirectoryArchive(file) : new TarArchive(plainTar(file, scratch));
        String label = file.toString();
        try {
            if (archive.size("index.json") >= 0) return new OciLayoutSource(archive, label, tag, platform);
            if (archive.size("manifest.json") >= 0) return new DockerArchiveSource(archive, label, tag);
        } catch (RuntimeException e) {
            archive.close();
            throw e;
        }
        archive.close();
        throw new JboxException("importing " + file + ": neither an OCI image layout (index.json) nor a docker save archive (manifest.json)",
                "export with skopeo copy ... oci-archive:FILE, podman save, or docker save");
    }

    private static Path plainTar(Path file, Path scratch) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(4);
        }
        if (Compression.detect(head, head.length) == Compression.NONE) return file;
        Path plain = scratch.resolve("archive.tar");
        try (InputStream in = Compression.decompress(Files.newInputStream(file))) {
            Files.copy(in, plain, StandardCopyOption.REPLACE_EXISTING);
        }
        return plain;
    }
}
