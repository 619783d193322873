package dev.jbox.plugin.cgroup;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** mountinfo and /proc/PID/cgroup parsing, for each cgroup layout. */
class CgroupLayoutTest {
    /** This development machine's layout: v1 controllers on a tmpfs at /sys/fs/cgroup, cgroup2 at unified/. */
    static final String HYBRID = """
            31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
            32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
            33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
            35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
            38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
            39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
            40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
            41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
            """;
    static final String LEGACY = """
            31 23 0:28 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755
            35 31 0:32 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:14 - cgroup cgroup rw,memory
            36 31 0:33 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:15 - cgroup cgroup rw,cpu,cpuacct
            """;

    @Test
    void unifiedHost() {
        CgroupLayout layout = CgroupLayout.parse(FakeHost.UNIFIED_MOUNTINFO);
        assertEquals(Optional.of(new CgroupLayout.Mount("/", "/sys/fs/cgroup")), layout.unified());
        assertEquals(Map.of(), layout.v1Controllers());
        assertEquals(Map.of(), layout.boundToV1(EnumSet.allOf(Controller.class)));
    }

    @Test
    void hybridHostHoldsTheControllersInV1() {
        CgroupLayout layout = CgroupLayout.parse(HYBRID);
        assertEquals(Optional.of(new CgroupLayout.Mount("/", "/sys/fs/cgroup/unified")), layout.unified());
        assertEquals(Map.of(Controller.MEMORY, "/sys/fs/cgroup/memory", Controller.IO, "/sys/fs/cgroup/blkio",
                Controller.PIDS, "/sys/fs/cgroup/pids", Controller.CPU, "/sys/fs/cgroup/cpu"), layout.boundToV1(EnumSet.allOf(Controller.class)));
        assertTrue(!layout.v1Controllers().containsKey("name=systemd") && !layout.v1Controllers().containsKey("rw"));
    }

    @Test
    void legacyHostHasNoCgroup2() {
        CgroupLayout layout = CgroupLayout.parse(LEGACY);
        assertEquals(Optional.empty(), layout.unified());
        assertEquals("/sys/fs/cgroup/cpu,cpuacct", layout.v1Controllers().get("cpuacct"));
    }

    @Test
    void escapedMountPoints() {
        CgroupLayout layout = CgroupLayout.parse("50 1 0:40 / /mnt/my\\040cgroups rw - cgroup2 cgroup2 rw\n");
        assertEquals("/mnt/my cgroups", layout.unified().orElseThrow().mountPoint());
    }

    @Test
    void mountOfASubtreeMapsCgroupNames() {
        CgroupLayout.Mount whole = new CgroupLayout.Mount("/", "/sys/fs/cgroup");
        assertEquals("/sys/fs/cgroup/user.slice/a.scope", whole.pathOf("/user.slice/a.scope"));
        assertEquals("/sys/fs/cgroup", whole.pathOf("/"));
        CgroupLayout.Mount bound = new CgroupLayout.Mount("/docker/abc", "/sys/fs/cgroup");
        assertEquals("/sys/fs/cgroup/init", bound.pathOf("/docker/abc/init"));
        assertEquals("/sys/fs/cgroup/init", bound.pathOf("/init"));
    }

    @Test
    void procCgroupV2Line() {
        assertEquals(Optional.of("/user.slice/user-1000.slice/session-2.scope"),
                CgroupLayout.v2Path("0::/user.slice/user-1000.slice/session-2.scope\n"));
        assertEquals(Optional.of("/"), CgroupLayout.v2Path("9:name=systemd:/\n4:memory:/x\n0::/\n"));
        assertEquals(Optional.of("/gone"), CgroupLayout.v2Path("0::/gone (deleted)\n"));
        assertEquals(Optional.empty(), CgroupLayout.v2Path("4:memory:/x\n"));
    }
}
