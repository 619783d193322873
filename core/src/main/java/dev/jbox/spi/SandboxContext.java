package dev.jbox.spi;

import dev.jbox.spec.SandboxSpec;

import java.nio.file.Path;

/**
 * What every plugin is told about the sandbox it prepares.
 *
 * @param id          unique id of this sandbox (hex), also used for unit and file names
 * @param spec        the validated spec
 * @param runtimeDir  a private directory (0700) for this sandbox's transient files, removed after exit
 * @param hostUid     the invoking user's uid on the host
 * @param hostGid     the invoking user's gid on the host
 */
public record SandboxContext(String id, SandboxSpec spec, Path runtimeDir, int hostUid, int hostGid) {}
