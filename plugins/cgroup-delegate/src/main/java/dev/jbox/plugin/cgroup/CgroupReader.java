package dev.jbox.plugin.cgroup;

import dev.jbox.spi.ResourceUsage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/** Reads usage and events from one cgroup v2 directory; a missing file (controller off) reads as null. */
final class CgroupReader {
    private final CgroupFs fs;
    private final Path dir;

    CgroupReader(CgroupFs fs, Path dir) {
        this.fs = fs;
        this.dir = dir;
    }

    ResourceUsage usage() {
        Map<String, Long> cpu = keyed("cpu.stat");
        return new ResourceUsage(single("memory.current"), single("memory.max"), cpu.get("usage_usec"), cpu.get("throttled_usec"),
                single("pids.current"), single("pids.max"), keyed("memory.events").get("oom_kill"));
    }

    /** {@code memory.events oom_kill}; empty when the cgroup (or its memory controller) is gone. */
    OptionalLong oomKills() {
        Long kills = keyed("memory.events").get("oom_kill");
        return kills == null ? OptionalLong.empty() : OptionalLong.of(kills);
    }

    /** A one-value file such as {@code memory.current}; "max" (no limit) and absence read as null. */
    private Long single(String file) {
        String text = readOrNull(file);
        if (text == null || text.trim().equals("max")) return null;
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A flat-keyed file such as {@code cpu.stat}: "key value" lines. */
    private Map<String, Long> keyed(String file) {
        return parseKeyed(readOrNull(file));
    }

    static Map<String, Long> parseKeyed(String text) {
        Map<String, Long> values = new HashMap<>();
        if (text == null) return values;
        for (String line : text.split("\n")) {
            String[] kv = line.trim().split("\\s+");
            if (kv.length != 2) continue;
            try {
                values.put(kv[0], Long.parseLong(kv[1]));
            } catch (NumberFormatException ignored) {
                // Not a counter.
            }
        }
        return values;
    }

    private String readOrNull(String file) {
        try {
            return fs.read(dir.resolve(file));
        } catch (IOException e) {
            return null;
        }
    }
}
