package dev.jbox.plugin.storage.layer;

import io.airlift.compress.v3.zstd.ZstdInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Layer compression, told by the stream's magic bytes rather than the media type: docker archives
 * and some OCI layouts label layers loosely, the bytes never lie.
 */
public enum Compression {
    NONE, GZIP, ZSTD;

    public static Compression detect(byte[] head, int length) {
        if (length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) return GZIP;
        if (length >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f && (head[3] & 0xff) == 0xfd) return ZSTD;
        return NONE;
    }

    /** The uncompressed tar stream of a layer blob. */
    public static InputStream decompress(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 65536);
        in.mark(4);
        byte[] head = in.readNBytes(4);
        in.reset();
        return switch (detect(head, head.length)) {
            // Concatenated gzip members are legal in a layer (pigz and some registries write them).
            case GZIP -> GzipCompressorInputStream.builder().setInputStream(in).setDecompressConcatenated(true).get();
            // aircompressor's ZstdInputStream is its pure-Java streaming decoder.
            case ZSTD -> new ZstdInputStream(in);
            case NONE -> in;
        };
    }
}
