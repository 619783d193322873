package dev.jbox.profile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a small UTF-8 text file with a size cap, without trusting {@code Files.size}: a pipe or
 * {@code /dev/zero} reports size 0 and never ends, so the cap is enforced while reading.
 */
final class TextFiles {
    /** The file has more than the allowed bytes. */
    static final class TooLarge extends IOException {
        TooLarge(long maxBytes) {
            super("larger than " + (maxBytes >> 10) + " KiB", null);
        }
    }

    private TextFiles() {}

    /** @throws CharacterCodingException if it is not UTF-8; {@link TooLarge} past {@code maxBytes} */
    static String read(Path file, int maxBytes) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(maxBytes + 1);
        }
        if (bytes.length > maxBytes) throw new TooLarge(maxBytes);
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes)).toString();
    }
}
