package dev.jbox.plugin.storage.oci;

import dev.jbox.JboxException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.function.LongConsumer;

/** Hashes (sha256) and counts what is read through it, and can report progress. */
public final class HashingInputStream extends FilterInputStream {
    private final MessageDigest sha256 = Digest.sha256();
    private final LongConsumer onBytes;
    private long count;

    public HashingInputStream(InputStream in) {
        this(in, n -> {});
    }

    /** {@code onBytes} is told how many bytes each read returned. */
    public HashingInputStream(InputStream in, LongConsumer onBytes) {
        super(in);
        this.onBytes = onBytes;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            sha256.update((byte) b);
            count++;
            onBytes.accept(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = in.read(buf, off, len);
        if (n > 0) {
            sha256.update(buf, off, n);
            count += n;
            onBytes.accept(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipping would leave bytes unhashed: read them instead.
        byte[] buf = new byte[(int) Math.min(n, 8192)];
        int r = read(buf, 0, buf.length);
        return Math.max(r, 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Reads what is left (tar padding, compressed trailers) so the digest covers the whole blob. */
    public HashingInputStream drain() throws IOException {
        byte[] buf = new byte[65536];
        while (read(buf, 0, buf.length) >= 0) {
            // hashing happens in read
        }
        return this;
    }

    public long count() {
        return count;
    }

    /** The digest of everything read so far; call once, at the end. */
    public Digest digest() {
        return Digest.of(sha256);
    }

    /** Throws the user-facing mismatch error unless everything read hashes to {@code expected}. */
    public void verify(Digest expected, String what) {
        Digest actual = digest();
        if (!actual.equals(expected)) throw mismatch(what, expected, actual);
    }

    public static JboxException mismatch(String what, Digest expected, Digest actual) {
        return new JboxException(what + ": digest mismatch: expected " + expected + ", got " + actual,
                "the data was corrupted or tampered with in transit or at the source; nothing was stored");
    }
}
