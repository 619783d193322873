package dev.jbox.linux;

import java.util.ArrayList;
import java.util.List;

/** Namespace and clone flags, from linux/sched.h. */
public final class CloneFlags {
    private CloneFlags() {}

    public static final int CLONE_VM = 0x100, CLONE_PIDFD = 0x1000, CLONE_VFORK = 0x4000, CLONE_NEWNS = 0x20000,
            CLONE_NEWCGROUP = 0x02000000, CLONE_NEWUTS = 0x04000000, CLONE_NEWIPC = 0x08000000,
            CLONE_NEWUSER = 0x10000000, CLONE_NEWPID = 0x20000000, CLONE_NEWNET = 0x40000000;
    public static final int SIGCHLD = 17;

    /** Names of the namespace flags set in {@code flags}, for messages and dry runs: "mount, uts, net". */
    public static String namespaces(int flags) {
        List<String> names = new ArrayList<>();
        if ((flags & CLONE_NEWUSER) != 0) names.add("user");
        if ((flags & CLONE_NEWPID) != 0) names.add("pid");
        if ((flags & CLONE_NEWNS) != 0) names.add("mount");
        if ((flags & CLONE_NEWUTS) != 0) names.add("uts");
        if ((flags & CLONE_NEWIPC) != 0) names.add("ipc");
        if ((flags & CLONE_NEWNET) != 0) names.add("net");
        if ((flags & CLONE_NEWCGROUP) != 0) names.add("cgroup");
        return String.join(", ", names);
    }
}
