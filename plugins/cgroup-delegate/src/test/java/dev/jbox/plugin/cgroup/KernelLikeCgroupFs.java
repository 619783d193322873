package dev.jbox.plugin.cgroup;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A cgroup v2 tree in a temporary directory that behaves like the kernel where jbox relies on it:
 * mkdir creates the interface files of the controllers the parent enables, files cannot be created
 * by writing, {@code cgroup.subtree_control} takes "+controller" changes and refuses them in a cgroup
 * holding processes, a pid written to {@code cgroup.procs} leaves the cgroup it was in, rmdir refuses
 * a populated cgroup. Records every write.
 */
final class KernelLikeCgroupFs implements CgroupFs {
    private static final Map<String, Map<String, String>> INTERFACE_FILES = Map.of(
            "memory", Map.of("memory.max", "max\n", "memory.swap.max", "max\n", "memory.current", "0\n",
                    "memory.events", "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n"),
            "cpu", Map.of("cpu.max", "max 100000\n", "cpu.weight", "100\n", "cpu.stat", "usage_usec 0\nnr_throttled 0\nthrottled_usec 0\n"),
            "pids", Map.of("pids.max", "max\n", "pids.current", "0\n"),
            "io", Map.of("io.weight", "default 100\n"));

    private final Path root;
    private final List<String> writes = Collections.synchronizedList(new ArrayList<>());
    /** A kernel without swap accounting has no memory.swap.max. */
    boolean swapAccounting = true;

    KernelLikeCgroupFs(Path root) {
        this.root = root;
    }

    /** A cgroup directory created as the kernel would, with {@code controllers} available in it. */
    Path cgroup(String path, Set<String> controllers, Set<String> subtreeControl, List<Integer> procs) throws IOException {
        Path dir = root.resolve(path.substring(1));
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("cgroup.controllers"), String.join(" ", new TreeSet<>(controllers)) + "\n");
        Files.writeString(dir.resolve("cgroup.subtree_control"), String.join(" ", new TreeSet<>(subtreeControl)) + "\n");
        StringBuilder pids = new StringBuilder();
        for (int pid : procs) pids.append(pid).append('\n');
        Files.writeString(dir.resolve("cgroup.procs"), pids);
        addInterfaceFiles(dir, controllers);
        return dir;
    }

    private void addInterfaceFiles(Path dir, Set<String> controllers) throws IOException {
        for (String controller : controllers) {
            for (var file : INTERFACE_FILES.getOrDefault(controller, Map.of()).entrySet()) {
                if (file.getKey().equals("memory.swap.max") && !swapAccounting) continue;
                Files.writeString(dir.resolve(file.getKey()), file.getValue());
            }
        }
    }

    /** Every write so far as "path-below-root=value". */
    List<String> writes() {
        synchronized (writes) {
            return List.copyOf(writes);
        }
    }

    @Override
    public String read(Path file) throws IOException {
        return Files.readString(file);
    }

    @Override
    public void write(Path file, String value) throws IOException {
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString());
        writes.add("/" + root.relativize(file) + "=" + value);
        switch (file.getFileName().toString()) {
            case "cgroup.subtree_control" -> {
                if (!Files.readString(file.resolveSibling("cgroup.procs")).isBlank()) {
                    throw new FileSystemException(file.toString(), null, "Device or resource busy");
                }
                Set<String> enabled = Controller.parseList(Files.readString(file));
                Set<String> available = Controller.parseList(Files.readString(file.resolveSibling("cgroup.controllers")));
                for (String change : value.trim().split("\\s+")) {
                    String name = change.substring(1);
                    if (!available.contains(name)) throw new FileSystemException(file.toString(), null, "No such file or directory");
                    if (change.startsWith("+")) enabled.add(name);
                    else enabled.remove(name);
                }
                Files.writeString(file, String.join(" ", enabled) + "\n");
            }
            case "cgroup.procs" -> {
                removeFromEveryCgroup(value.trim());
                Files.writeString(file, Files.readString(file) + value.trim() + "\n");
            }
            default -> Files.writeString(file, value + "\n");
        }
    }

    private void removeFromEveryCgroup(String pid) throws IOException {
        try (var files = Files.walk(root)) {
            for (Path procs : files.filter(f -> f.getFileName().toString().equals("cgroup.procs")).toList()) {
                List<String> rest = Files.readString(procs).lines().filter(l -> !l.equals(pid)).toList();
                Files.writeString(procs, rest.isEmpty() ? "" : String.join("\n", rest) + "\n");
            }
        }
    }

    @Override
    public boolean exists(Path file) {
        return Files.exists(file);
    }

    @Override
    public boolean writable(Path file) {
        return Files.isWritable(file);
    }

    @Override
    public void mkdir(Path dir) throws IOException {
        Files.createDirectory(dir);
        Set<String> controllers = Controller.parseList(Files.readString(dir.resolveSibling("cgroup.subtree_control")));
        Files.writeString(dir.resolve("cgroup.controllers"), String.join(" ", controllers) + "\n");
        Files.writeString(dir.resolve("cgroup.subtree_control"), "\n");
        Files.writeString(dir.resolve("cgroup.procs"), "");
        addInterfaceFiles(dir, controllers);
    }

    @Override
    public void rmdir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new NoSuchFileException(dir.toString());
        if (!Files.readString(dir.resolve("cgroup.procs")).isBlank()) {
            throw new FileSystemException(dir.toString(), null, "Device or resource busy");
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                if (Files.isDirectory(f)) throw new FileSystemException(dir.toString(), null, "Device or resource busy");
                Files.delete(f);
            }
        }
        Files.delete(dir);
        writes.add("rmdir /" + root.relativize(dir));
    }

    /** Empties a cgroup, as when its processes have exited. */
    void processesExited(Path dir) throws IOException {
        Files.writeString(dir.resolve("cgroup.procs"), "");
    }
}
