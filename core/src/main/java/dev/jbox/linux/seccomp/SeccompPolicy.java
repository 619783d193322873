package dev.jbox.linux.seccomp;

import dev.jbox.linux.Arch;
import dev.jbox.spec.SpecException;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A seccomp policy for one architecture, with every condition on capabilities and kernel already
 * resolved: the default action, the ABIs handled, and rules by syscall name.
 *
 * <p>Semantics (what {@link SeccompCompiler} compiles and {@link #decide} states in Java):
 * <ul>
 * <li>a call from an ABI not in {@code abis} kills the process: its numbers mean other calls;
 * <li>a number the ABI's table does not know gets {@link #unknownAction()}: ENOSYS when the
 *     default denies (so newer glibc falls back to older calls, as with runc), else the default;
 * <li>otherwise rules with argument conditions are tried in order, the first that holds decides;
 *     then the call's unconditional rule, if any; then the default action.
 * </ul>
 * Names an ABI does not have are ignored for that ABI, as Docker does.
 *
 * @param flags {@code SECCOMP_FILTER_FLAG_*} bits for the {@code seccomp()} call
 */
public record SeccompPolicy(Arch arch, Action defaultAction, Set<Abi> abis, List<SyscallRule> rules, int flags) {
    public static final int FLAG_TSYNC = 1, FLAG_LOG = 2, FLAG_SPEC_ALLOW = 4;

    public SeccompPolicy {
        abis = Set.copyOf(abis);
        rules = List.copyOf(rules);
        if (!abis.contains(Abi.nativeOf(arch))) throw new IllegalArgumentException("a policy for " + arch + " must handle its native ABI");
        for (Abi abi : abis) {
            if (abi.host != arch) throw new IllegalArgumentException(abi + " is not an ABI of " + arch);
        }
        decisions(rules, defaultAction);   // rejects conflicting rules early
    }

    /** ENOSYS for numbers the tables do not know, unless the default lets calls run. */
    public Action unknownAction() {
        return defaultAction.runsTheCall() ? defaultAction : Action.ENOSYS;
    }

    /** ABIs of this architecture in filter order: native first. */
    public List<Abi> handledAbis() {
        List<Abi> all = new ArrayList<>(List.of(Abi.nativeOf(arch)));
        all.addAll(Abi.compatOf(arch));
        all.retainAll(abis);
        return all;
    }

    /** Every named call's decision; calls not named here get the default action. */
    public Map<String, Decision> decisions() {
        return decisions(rules, defaultAction);
    }

    /** The reference answer for call {@code nr} of {@code abi} with six arguments. */
    public Action decide(Abi abi, long nr, long[] args) {
        if (!abis.contains(abi)) return Action.KILL_PROCESS;
        String name = abi.table().name(nr);
        if (name == null) return unknownAction();
        Decision d = decisions().get(name);
        return d == null ? defaultAction : d.decide(args);
    }

    private static Map<String, Decision> decisions(List<SyscallRule> rules, Action defaultAction) {
        Map<String, List<SyscallRule>> conditional = new LinkedHashMap<>();
        Map<String, SyscallRule> unconditional = new HashMap<>();
        for (SyscallRule rule : rules) {
            if (!rule.unconditional()) {
                conditional.computeIfAbsent(rule.name(), n -> new ArrayList<>()).add(rule);
                continue;
            }
            SyscallRule earlier = unconditional.putIfAbsent(rule.name(), rule);
            if (earlier != null && !earlier.action().equals(rule.action())) {
                throw new SpecException("conflicting seccomp rules for " + rule.name() + ": " + earlier.origin()
                        + " says " + earlier.action() + ", " + rule.origin() + " says " + rule.action());
            }
        }
        Map<String, Decision> out = new HashMap<>();
        unconditional.forEach((name, rule) -> out.put(name, new Decision.Fixed(rule.action())));
        conditional.forEach((name, list) -> {
            SyscallRule fallback = unconditional.get(name);
            Action otherwise = fallback != null ? fallback.action() : defaultAction;
            boolean argumentsMatter = list.stream().anyMatch(r -> !r.action().equals(otherwise));
            out.put(name, argumentsMatter ? new Decision.ByArguments(list, otherwise) : new Decision.Fixed(otherwise));
        });
        return out;
    }

    /** ABIs of {@code arch}, for building policies that handle all of them. */
    public static Set<Abi> allAbisOf(Arch arch) {
        Set<Abi> all = EnumSet.of(Abi.nativeOf(arch));
        all.addAll(Abi.compatOf(arch));
        return all;
    }
}
