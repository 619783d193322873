package dev.jbox.plugin.storage.layer;

import java.util.ArrayList;
import java.util.List;

/**
 * A tar entry name checked and split into components: relative, without {@code ..}, so it can only
 * name something inside the layer directory. {@code ./a//b/} becomes {@code [a, b]}; {@code .} the root.
 */
public record EntryPath(List<String> components) {
    public EntryPath {
        components = List.copyOf(components);
    }

    /** Thrown for names that would leave the layer directory. */
    public static final class UnsafeEntryException extends RuntimeException {
        public UnsafeEntryException(String message) {
            super(message);
        }
    }

    public static EntryPath parse(String name) {
        if (name.startsWith("/")) throw new UnsafeEntryException("absolute path " + name);
        if (name.indexOf('\0') >= 0) throw new UnsafeEntryException("NUL byte in name " + name);
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) continue;
            if (part.equals("..")) throw new UnsafeEntryException("'..' in " + name);
            parts.add(part);
        }
        return new EntryPath(parts);
    }

    public boolean isRoot() {
        return components.isEmpty();
    }

    public String fileName() {
        return components.getLast();
    }

    public EntryPath parent() {
        return new EntryPath(components.subList(0, components.size() - 1));
    }

    public EntryPath sibling(String name) {
        List<String> parts = new ArrayList<>(components.subList(0, components.size() - 1));
        parts.add(name);
        return new EntryPath(parts);
    }

    @Override
    public String toString() {
        return String.join("/", components);
    }
}
