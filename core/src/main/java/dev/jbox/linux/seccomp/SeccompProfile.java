package dev.jbox.linux.seccomp;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A seccomp profile in the shape of Docker's and OCI's JSON format, before it is resolved for one
 * sandbox: entries may depend on capabilities, architecture and kernel version.
 *
 * @param source        what to call it in messages: a file name or {@code the default profile}
 * @param architectures OCI's {@code architectures} ({@code SCMP_ARCH_*} names)
 * @param archMap       Docker's {@code archMap}: native {@code SCMP_ARCH_*} → its sub-architectures
 * @param flags         {@code SECCOMP_FILTER_FLAG_*} bits
 */
public record SeccompProfile(String source, Action defaultAction, Set<String> architectures,
                             Map<String, List<String>> archMap, List<ProfileEntry> entries, int flags) {
    public SeccompProfile {
        architectures = Set.copyOf(architectures);
        archMap = Map.copyOf(archMap);
        entries = List.copyOf(entries);
    }

    /**
     * Syscall names no ABI jbox knows has, in file order: ignored like Docker does, but worth a
     * warning, since a typo ({@code kectl}) silently leaves a call to the default action.
     */
    public List<String> unknownNames() {
        Set<String> unknown = new java.util.LinkedHashSet<>();
        for (ProfileEntry entry : entries) {
            for (String name : entry.names()) {
                boolean known = false;
                for (Abi abi : Abi.values()) known |= abi.table().contains(name);
                if (!known) unknown.add(name);
            }
        }
        return List.copyOf(unknown);
    }

    /** Resolves the profile for one sandbox: which ABIs it handles and which entries apply. */
    public SeccompPolicy select(ProfileEntry.Sandbox sandbox) {
        Abi nativeAbi = Abi.nativeOf(sandbox.arch());
        List<String> subArches = archMap.isEmpty()
                ? List.copyOf(architectures)
                : archMap.getOrDefault(nativeAbi.scmpName, List.of());
        Set<Abi> abis = EnumSet.of(nativeAbi);
        for (Abi compat : Abi.compatOf(sandbox.arch())) {
            if (subArches.contains(compat.scmpName)) abis.add(compat);
        }
        List<SyscallRule> rules = new ArrayList<>();
        for (ProfileEntry entry : entries) {
            if (entry.applies(sandbox)) rules.addAll(entry.rules());
        }
        return new SeccompPolicy(sandbox.arch(), defaultAction, abis, rules, flags);
    }
}
