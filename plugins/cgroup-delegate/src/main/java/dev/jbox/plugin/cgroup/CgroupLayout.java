package dev.jbox.plugin.cgroup;

import dev.jbox.linux.MountInfo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What {@code /proc/self/mountinfo} says about cgroups: where the cgroup v2 filesystem is mounted,
 * and which controllers cgroup v1 hierarchies hold (a controller bound to v1 is absent from v2).
 * Parsed from the text alone (no statfs), so every host layout is a unit test.
 *
 * @param unified       the cgroup2 mount, preferring {@code /sys/fs/cgroup}
 * @param v1Controllers controller name (v1 spelling) → its v1 mount point
 */
public record CgroupLayout(Optional<Mount> unified, Map<String, String> v1Controllers) {
    static final String STANDARD_MOUNT = "/sys/fs/cgroup";
    /** cgroup v1 mount options that are not controllers. */
    private static final Set<String> V1_NON_CONTROLLER_OPTIONS =
            Set.of("rw", "ro", "none", "noprefix", "clone_children", "xattr", "cpuset_v2_mode", "favordynmods", "nofavordynmods");

    /** A cgroup2 mount: {@code root} is the cgroup shown at {@code mountPoint} (not "/" for a bind of a subtree). */
    public record Mount(String root, String mountPoint) {
        /** The host path of the cgroup named {@code cgroupPath} as {@code /proc/PID/cgroup} shows it. */
        public String pathOf(String cgroupPath) {
            String relative = !root.equals("/") && (cgroupPath.equals(root) || cgroupPath.startsWith(root + "/"))
                    ? cgroupPath.substring(root.length()) : cgroupPath;
            if (relative.isEmpty() || relative.equals("/")) return mountPoint;
            return mountPoint.equals("/") ? relative : mountPoint + relative;
        }
    }

    public CgroupLayout {
        v1Controllers = Collections.unmodifiableMap(new TreeMap<>(v1Controllers));
    }

    public static CgroupLayout parse(String mountinfo) {
        List<Mount> cgroup2 = new ArrayList<>();
        Map<String, String> v1 = new TreeMap<>();
        for (String line : mountinfo.split("\n")) {
            String[] fields = line.trim().split(" ");
            int dash = List.of(fields).indexOf("-");
            if (dash < 5 || fields.length < dash + 4) continue;
            String fsType = fields[dash + 1];
            String root = MountInfo.unescape(fields[3]);
            String mountPoint = MountInfo.unescape(fields[4]);
            if (fsType.equals("cgroup2")) {
                cgroup2.add(new Mount(root, mountPoint));
            } else if (fsType.equals("cgroup")) {
                for (String option : fields[dash + 3].split(",")) {
                    if (V1_NON_CONTROLLER_OPTIONS.contains(option) || option.startsWith("name=") || option.startsWith("release_agent=")) continue;
                    v1.putIfAbsent(option, mountPoint);
                }
            }
        }
        Optional<Mount> unified = cgroup2.stream().filter(m -> m.mountPoint().equals(STANDARD_MOUNT)).findFirst()
                .or(() -> cgroup2.stream().findFirst());
        return new CgroupLayout(unified, v1);
    }

    /** The controllers of {@code wanted} that a cgroup v1 hierarchy holds, with its mount point. */
    public Map<Controller, String> boundToV1(Set<Controller> wanted) {
        Map<Controller, String> bound = new EnumMap<>(Controller.class);
        for (Controller c : wanted) {
            String where = v1Controllers.get(c.v1Name);
            if (where != null) bound.put(c, where);
        }
        return bound;
    }

    /** The cgroup v2 path in a {@code /proc/PID/cgroup} text (its {@code 0::/path} line), if any. */
    public static Optional<String> v2Path(String procCgroup) {
        for (String line : procCgroup.split("\n")) {
            if (line.startsWith("0::")) {
                String path = line.substring(3).trim();
                if (path.endsWith(" (deleted)")) path = path.substring(0, path.length() - " (deleted)".length());
                return Optional.of(path);
            }
        }
        return Optional.empty();
    }
}
