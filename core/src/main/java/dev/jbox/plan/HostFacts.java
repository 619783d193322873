package dev.jbox.plan;

/** What the plan needs to know about the invoking process. */
public record HostFacts(int uid, int gid, String cwd) {}
