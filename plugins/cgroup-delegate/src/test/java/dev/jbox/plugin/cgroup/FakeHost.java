package dev.jbox.plugin.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A host laid out in a temporary directory: {@code proc/self/mountinfo}, {@code proc/self/cgroup}
 * and a cgroup v2 tree under {@code sys/fs/cgroup} served by {@link KernelLikeCgroupFs}.
 */
final class FakeHost {
    /** A systemd host with only cgroup v2 (trimmed from a Debian 12 machine). */
    static final String UNIFIED_MOUNTINFO = """
            22 28 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw
            23 28 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:2 - sysfs sysfs rw
            28 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw,errors=remount-ro
            29 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
            """;
    /** jbox's own pid as the fake host's cgroup.procs files list it. */
    static final long SELF_PID = 1234;
    static final String USER_MANAGER = "/user.slice/user-1001.slice/user@1001.service";

    final Path root;
    final KernelLikeCgroupFs fs;
    final List<String> warnings = new CopyOnWriteArrayList<>();

    FakeHost(Path root, String mountinfo, String ownCgroup) throws IOException {
        this.root = root;
        this.fs = new KernelLikeCgroupFs(root);
        Files.createDirectories(root.resolve("proc/self"));
        Files.writeString(root.resolve("proc/self/mountinfo"), mountinfo);
        Files.writeString(root.resolve("proc/self/cgroup"), "0::" + ownCgroup + "\n");
    }

    Host host(Map<String, String> env, Duration jobTimeout) {
        return new Host(root, SELF_PID, env, fs, jobTimeout, warnings::add);
    }

    /** A cgroup below /sys/fs/cgroup, e.g. {@code cgroup("/user.slice", …)}. */
    Path cgroup(String path, String controllers, String subtreeControl, Integer... procs) throws IOException {
        return fs.cgroup("/sys/fs/cgroup" + path, Controller.parseList(controllers), Controller.parseList(subtreeControl), List.of(procs));
    }

    Path cgroupDir(String path) {
        return root.resolve("sys/fs/cgroup" + path);
    }
}
