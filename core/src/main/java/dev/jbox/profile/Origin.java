package dev.jbox.profile;

import org.tomlj.TomlPosition;

import java.nio.file.Path;

/**
 * Where a profile value came from: a file and, when known, a 1-based line and column. Printed as
 * {@code FILE:LINE:COL} (or just {@code FILE}), the form editors and compilers use for jump-to.
 */
public record Origin(Path file, int line, int column) {
    /** The file as a whole, e.g. for "cannot read". */
    public static Origin of(Path file) {
        return new Origin(file, 0, 0);
    }

    static Origin of(Path file, TomlPosition position) {
        return position == null ? of(file) : new Origin(file, position.line(), position.column());
    }

    public boolean hasPosition() {
        return line > 0;
    }

    @Override
    public String toString() {
        return hasPosition() ? file + ":" + line + ":" + column : file.toString();
    }
}
