package dev.jbox.plugin.cgroup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The few file operations jbox makes on a cgroup v2 tree. Tests substitute a double that behaves
 * like the kernel on a temporary directory (mkdir creates the interface files).
 */
public interface CgroupFs {
    CgroupFs KERNEL = new Kernel();

    String read(Path file) throws IOException;

    /** Writes {@code value} to an existing interface file in one {@code write}, as cgroupfs expects. */
    void write(Path file, String value) throws IOException;

    boolean exists(Path file);

    /** {@code access(W_OK)}: whether this user may write there. */
    boolean writable(Path file);

    void mkdir(Path dir) throws IOException;

    /** Removes an empty cgroup (its interface files go with it). */
    void rmdir(Path dir) throws IOException;

    /** The real cgroup filesystem. */
    final class Kernel implements CgroupFs {
        private Kernel() {}

        @Override public String read(Path file) throws IOException { return Files.readString(file); }

        @Override public void write(Path file, String value) throws IOException {
            // No CREATE: cgroupfs has no files to create, and a missing one means a missing controller.
            Files.write(file, value.getBytes(StandardCharsets.UTF_8), StandardOpenOption.WRITE);
        }

        @Override public boolean exists(Path file) { return Files.exists(file); }

        @Override public boolean writable(Path file) { return Files.isWritable(file); }

        @Override public void mkdir(Path dir) throws IOException { Files.createDirectory(dir); }

        @Override public void rmdir(Path dir) throws IOException { Files.delete(dir); }
    }
}
