package dev.jbox.linux.seccomp;

import dev.jbox.linux.Arch;
import dev.jbox.linux.Capability;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The default filter for Docker's default capabilities, compiled ahead of time into
 * {@code default-filter-<arch>.bpf}: the {@code struct sock_filter} array as the kernel takes it
 * ({@link BpfProgram#toBytes}). A cold JVM compiles the profile in tens of milliseconds; these
 * bytes are read in ~3 ms (most of it opening the jar), ~1 ms less than hex text took to parse.
 * {@code --dry-run} disassembles it.
 * {@code core/scripts/gen-default-filters.sh} runs {@link #main} to regenerate the files, and a
 * unit test fails while they differ from what the compiler makes of {@link DefaultProfile}.
 */
final class PrecompiledFilter {
    private PrecompiledFilter() {}

    /**
     * Compiled for jbox's oldest kernel. Valid for any kernel from there on, because {@link #main}
     * refuses a profile with a {@code minKernel} newer than this.
     */
    static final KernelVersion KERNEL_FLOOR = new KernelVersion(5, 11);

    /** The precompiled filter for {@code sandbox}, or null when it was not precompiled for it. */
    static SeccompFilter load(ProfileEntry.Sandbox sandbox) {
        if (sandbox.kernel().compareTo(KERNEL_FLOOR) < 0 || !sandbox.capabilities().equals(defaultCapabilityNames())) return null;
        try (InputStream in = PrecompiledFilter.class.getResourceAsStream(resource(sandbox.arch()))) {
            if (in == null) return null;
            return new SeccompFilter(BpfProgram.fromBytes(in.readAllBytes()), 0, DefaultProfile.NAME);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource(sandbox.arch()), e);
        }
    }

    static String resource(Arch arch) {
        return "default-filter-" + arch.name().toLowerCase(Locale.ROOT) + ".bpf";
    }

    static Set<String> defaultCapabilityNames() {
        Set<String> names = new HashSet<>();
        for (Capability c : Capability.DOCKER_DEFAULT) names.add(c.capName());
        return names;
    }

    static ProfileEntry.Sandbox defaultSandbox(Arch arch) {
        return new ProfileEntry.Sandbox(arch, defaultCapabilityNames(), KERNEL_FLOOR);
    }

    /** What the resource for {@code arch} must hold. */
    static byte[] render(Arch arch) {
        return SeccompFilter.compile(DefaultProfile.profile(), defaultSandbox(arch)).program().toBytes();
    }

    /** Writes the files into the directory {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        for (ProfileEntry e : DefaultProfile.profile().entries()) {
            for (KernelVersion v : new KernelVersion[] {e.includes().minKernel(), e.excludes().minKernel()}) {
                if (v != null && v.compareTo(KERNEL_FLOOR) > 0) {
                    throw new IllegalStateException(e.origin() + " depends on kernel " + v + ", newer than " + KERNEL_FLOOR
                            + ": precompiled filters would be wrong on older kernels");
                }
            }
        }
        for (Arch arch : Arch.values()) {
            Path file = Path.of(args[0], resource(arch));
            Files.write(file, render(arch));
            System.out.println("wrote " + file);
        }
    }
}
