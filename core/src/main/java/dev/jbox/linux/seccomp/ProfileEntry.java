package dev.jbox.linux.seccomp;

import java.util.List;
import java.util.Set;

/**
 * One entry of a Docker-style seccomp profile: calls by name, an action, argument conditions,
 * and Docker's {@code includes}/{@code excludes} filters that decide whether it applies.
 *
 * @param origin where it came from, for messages: {@code profile.json: syscalls[3]}
 */
public record ProfileEntry(List<String> names, Action action, List<ArgCondition> args,
                           Filter includes, Filter excludes, String origin) {
    public ProfileEntry {
        names = List.copyOf(names);
        args = List.copyOf(args);
    }

    public static ProfileEntry of(Action action, List<String> names) {
        return new ProfileEntry(names, action, List.of(), Filter.NONE, Filter.NONE, "");
    }

    /**
     * Conditions on the sandbox. Empty parts do not constrain. Capability names are in the
     * {@code CAP_X} form; arches are Docker's native names ({@code amd64}, {@code arm64}).
     */
    public record Filter(Set<String> caps, Set<String> arches, KernelVersion minKernel) {
        public static final Filter NONE = new Filter(Set.of(), Set.of(), null);

        public Filter {
            caps = Set.copyOf(caps);
            arches = Set.copyOf(arches);
        }

        public static Filter caps(String... caps) {
            return new Filter(Set.of(caps), Set.of(), null);
        }

        public static Filter arches(String... arches) {
            return new Filter(Set.of(), Set.of(arches), null);
        }
    }

    public ProfileEntry withOrigin(String origin) {
        return new ProfileEntry(names, action, args, includes, excludes, origin);
    }

    public ProfileEntry including(Filter includes) {
        return new ProfileEntry(names, action, args, includes, excludes, origin);
    }

    public ProfileEntry excluding(Filter excludes) {
        return new ProfileEntry(names, action, args, includes, excludes, origin);
    }

    public ProfileEntry withArgs(ArgCondition... args) {
        return new ProfileEntry(names, action, List.of(args), includes, excludes, origin);
    }

    /**
     * The rules this entry stands for. When one argument index appears twice, each condition
     * becomes a rule of its own (so they are alternatives), as runc does: libseccomp cannot AND two
     * comparisons of the same argument, and profiles written for Docker rely on this.
     */
    List<SyscallRule> rules() {
        boolean repeatedIndex = args.stream().map(ArgCondition::index).distinct().count() < args.size();
        List<List<ArgCondition>> alternatives = repeatedIndex ? args.stream().map(List::of).toList() : List.of(args);
        List<SyscallRule> rules = new java.util.ArrayList<>();
        for (String name : names) {
            for (List<ArgCondition> conditions : alternatives) rules.add(new SyscallRule(name, action, conditions, origin));
        }
        return rules;
    }

    /** Docker's rule: every included part must hold, and no excluded part may. */
    boolean applies(Sandbox sandbox) {
        if (!excludes.arches().isEmpty() && excludes.arches().contains(sandbox.dockerArch())) return false;
        if (excludes.caps().stream().anyMatch(sandbox.capabilities()::contains)) return false;
        if (excludes.minKernel() != null && sandbox.kernel().compareTo(excludes.minKernel()) >= 0) return false;
        if (!includes.arches().isEmpty() && !includes.arches().contains(sandbox.dockerArch())) return false;
        if (!sandbox.capabilities().containsAll(includes.caps())) return false;
        return includes.minKernel() == null || sandbox.kernel().compareTo(includes.minKernel()) >= 0;
    }

    /** What the filters look at: the architecture, the bounding set ({@code CAP_X} names), the kernel. */
    public record Sandbox(dev.jbox.linux.Arch arch, Set<String> capabilities, KernelVersion kernel) {
        public Sandbox {
            capabilities = Set.copyOf(capabilities);
        }

        String dockerArch() {
            return arch == dev.jbox.linux.Arch.X86_64 ? "amd64" : "arm64";
        }

        // Written out: the generated record methods bootstrap method handles on first use, which
        // costs a cold JVM milliseconds on the launch path, where this is a cache key.
        @Override
        public boolean equals(Object o) {
            return o instanceof Sandbox s && arch == s.arch && kernel.equals(s.kernel) && capabilities.equals(s.capabilities);
        }

        @Override
        public int hashCode() {
            return (arch.hashCode() * 31 + kernel.major() * 1000 + kernel.minor()) * 31 + capabilities.hashCode();
        }
    }
}
