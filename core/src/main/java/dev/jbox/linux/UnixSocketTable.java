package dev.jbox.linux;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The kernel's table of unix sockets in this network namespace ({@code /proc/net/unix}): which
 * paths have a socket bound to them. A listening socket's path appears once for it and once for
 * every connection it accepted; abstract names ({@code @...}) and unbound sockets have no path.
 */
public final class UnixSocketTable {
    private UnixSocketTable() {}

    public static final Path FILE = Path.of("/proc/net/unix");
    /** Num RefCount Protocol Flags Type St Inode: the fields before the path. */
    private static final int FIELDS_BEFORE_PATH = 7;

    /** The absolute socket paths bound in this network namespace, each once, in table order. */
    public static List<String> boundPaths() throws IOException {
        try (InputStream in = Files.newInputStream(FILE)) {
            return boundPaths(in.readAllBytes());
        }
    }

    /**
     * Parses the table. Bytes, not text: a path is whatever the binder chose, in no particular
     * encoding; one that is not UTF-8 comes back escaped ({@link NativeBytes#decodePath}). A path
     * may hold spaces (it is the rest of the line); one holding a newline cannot be told apart
     * from the next line and is read as far as the newline.
     */
    public static List<String> boundPaths(byte[] table) {
        Set<String> paths = new LinkedHashSet<>();
        int line = 0;
        boolean header = true;
        while (line < table.length) {
            int end = line;
            while (end < table.length && table[end] != '\n') end++;
            if (!header) {
                int path = pathStart(table, line, end);
                if (path >= 0 && table[path] == '/') paths.add(NativeBytes.decodePath(table, path, end));
            }
            header = false;
            line = end + 1;
        }
        return new ArrayList<>(paths);
    }

    /** Where the path field of the line starts, or -1 when the socket has none. */
    private static int pathStart(byte[] table, int from, int to) {
        int i = from;
        for (int field = 0; field < FIELDS_BEFORE_PATH; field++) {
            while (i < to && table[i] == ' ') i++;
            if (i == to) return -1;
            while (i < to && table[i] != ' ') i++;
        }
        if (i == to) return -1;
        return i + 1 < to ? i + 1 : -1;
    }
}
