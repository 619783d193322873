package dev.jbox.plan;

/**
 * What the plan needs to know about the invoking process and the kernel.
 *
 * @param landlockAbi the kernel's Landlock ABI version ({@link dev.jbox.linux.Landlock#abi()}), or 0:
 *                    Landlock is missing, or it was not probed because the spec needs no Landlock step
 */
public record HostFacts(int uid, int gid, String cwd, int landlockAbi) {}
