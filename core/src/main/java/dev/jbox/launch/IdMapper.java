package dev.jbox.launch;

import dev.jbox.JboxException;
import dev.jbox.linux.Linux;
import dev.jbox.linux.SyscallException;
import dev.jbox.plan.IdMapping;
import dev.jbox.spec.UserNamespaceMode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes the child's uid and gid maps: directly for a single mapping, through newuidmap/newgidmap for subordinate ranges. */
final class IdMapper {
    private IdMapper() {}

    /** A subordinate id range from /etc/subuid or /etc/subgid. */
    record SubordinateRange(long start, long count) {}

    static void map(int pid, IdMapping ids, String userName) {
        if (ids.mode() == UserNamespaceMode.SINGLE) {
            write("/proc/" + pid + "/setgroups", "deny");
            write("/proc/" + pid + "/uid_map", ids.singleUidMap());
            write("/proc/" + pid + "/gid_map", ids.singleGidMap());
        } else {
            SubordinateRange uids = range(Path.of("/etc/subuid"), userName, ids.hostUid());
            SubordinateRange gids = range(Path.of("/etc/subgid"), userName, ids.hostUid());
            run("newuidmap", pid, ids.hostUid(), uids);
            run("newgidmap", pid, ids.hostGid(), gids);
        }
    }

    private static void write(String path, String content) {
        try {
            writeRetryingEacces(path, content);
        } catch (SyscallException e) {
            throw new JboxException("writing " + path + ": " + e.errnoValue(),
                    "the kernel refused the id mapping; run jbox doctor", JboxException.EXIT_JBOX, e);
        }
    }

    /**
     * A concurrent launch that switches ids leaves the JVM's shared mm non-dumpable for the few
     * microseconds until its chain restores it (see ChainProgram), and /proc/PID files are then
     * root-owned. A short retry rides that out; a real EACCES persists and is reported.
     */
    private static void writeRetryingEacces(String path, String content) {
        for (int attempt = 1; ; attempt++) {
            try {
                Linux.writeFile(path, content);
                return;
            } catch (SyscallException e) {
                if (e.errno() != dev.jbox.linux.Errno.EACCES.number || attempt == 5) throw e;
                Thread.onSpinWait();
                try {
                    Thread.sleep(attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** The first range for the user (by name or uid) in a subordinate id file. */
    static SubordinateRange range(Path file, String userName, int uid) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new JboxException("--userns=auto: cannot read " + file + " (" + e.getMessage() + ")",
                    "ask an administrator for a range: usermod --add-subuids 100000-165535 --add-subgids 100000-165535 " + userName);
        }
        SubordinateRange found = parse(lines, userName, uid);
        if (found == null) {
            throw new JboxException("--userns=auto: no entry for " + userName + " in " + file,
                    "ask an administrator for a range: usermod --add-subuids 100000-165535 --add-subgids 100000-165535 " + userName);
        }
        return found;
    }

    static SubordinateRange parse(List<String> lines, String userName, int uid) {
        for (String line : lines) {
            String[] f = line.trim().split(":");
            if (f.length != 3 || line.startsWith("#")) continue;
            if (!f[0].equals(userName) && !f[0].equals(Integer.toString(uid))) continue;
            try {
                long start = Long.parseLong(f[1]), count = Long.parseLong(f[2]);
                if (count > 0) return new SubordinateRange(start, count);
            } catch (NumberFormatException e) {
                // A malformed line is not ours to judge; keep looking.
            }
        }
        return null;
    }

    private static void run(String tool, int pid, int hostId, SubordinateRange range) {
        List<String> command = List.of(tool, Integer.toString(pid), "0", Integer.toString(hostId), "1",
                "1", Long.toString(range.start()), Long.toString(range.count()));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0) {
                throw new JboxException("--userns=auto: " + String.join(" ", command) + " failed: " + output,
                        "check that " + tool + " is setuid root (package uidmap) and the range is yours");
            }
        } catch (IOException e) {
            throw new JboxException("--userns=auto: cannot run " + tool + " (" + e.getMessage() + ")", "install the uidmap package");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JboxException("--userns=auto: interrupted while running " + tool);
        }
    }
}
