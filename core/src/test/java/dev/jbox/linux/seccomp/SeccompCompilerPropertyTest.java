package dev.jbox.linux.seccomp;

import dev.jbox.linux.Arch;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The compiled BPF must decide exactly as the policy's Java semantics, for any rules and arguments. */
class SeccompCompilerPropertyTest {
    private static final Abi ABI = Abi.X86_64;

    /** 64-bit values that share words with each other often, so both halves of a comparison get exercised. */
    @Provide
    Arbitrary<Long> words() {
        Arbitrary<Integer> halves = Arbitraries.oneOf(Arbitraries.of(0, 1, -1, 0x5412, Integer.MIN_VALUE, Integer.MAX_VALUE),
                Arbitraries.integers());
        return Combinators.combine(halves, halves).as((hi, lo) -> ((long) hi << 32) | (lo & 0xFFFFFFFFL));
    }

    @Provide
    Arbitrary<ArgCondition> conditions() {
        return Combinators.combine(Arbitraries.integers().between(0, 5), Arbitraries.of(ArgCondition.Op.class), words(), words())
                .as(ArgCondition::new);
    }

    @Property(tries = 400)
    void oneComparisonMatchesItsJavaSemantics(@ForAll("conditions") ArgCondition condition, @ForAll("words") long arg,
                                              @ForAll("words") long other) {
        SeccompPolicy policy = policy(List.of(new SyscallRule("read", Action.ALLOW, List.of(condition), "test")), Action.EPERM);
        BpfInterpreter bpf = new BpfInterpreter(SeccompCompiler.compile(policy));
        long[] args = {other, other, other, other, other, other};
        args[condition.index()] = arg;
        int expected = condition.test(args) ? Action.ALLOW.ret() : Action.EPERM.ret();
        assertEquals(expected, bpf.run(ABI.auditArch, 0, args), condition + " with arg 0x" + Long.toHexString(arg));
    }

    @Property(tries = 200)
    void rulesCombineAsThePolicySays(@ForAll("rules") List<SyscallRule> rules, @ForAll("words") long a0, @ForAll("words") long a1,
                                     @ForAll boolean defaultAllows) {
        SeccompPolicy policy;
        try {
            policy = policy(rules, defaultAllows ? Action.ALLOW : Action.EPERM);
        } catch (dev.jbox.spec.SpecException conflicting) {
            return;   // two unconditional rules with different actions: refused, nothing to compile
        }
        BpfInterpreter bpf = new BpfInterpreter(SeccompCompiler.compile(policy));
        long[] args = {a0, a1, a0 ^ a1, 0, 0, -1};
        for (String name : List.of("read", "write", "ioctl", "keyctl", "getpid")) {
            long nr = ABI.table().number(name);
            assertEquals(policy.decide(ABI, nr, args).ret(), bpf.run(ABI.auditArch, nr, args), name);
        }
    }

    /**
     * Many calls across whole tables, of every ABI of x86-64: the number ranges (and so the search
     * tree, its shared returns and any trampolines the assembler adds) take every shape.
     */
    @Property(tries = 60)
    void rulesAcrossWholeTablesDecideAsThePolicySaysForEveryNumber(@ForAll("tableRules") List<SyscallRule> rules,
                                                                   @ForAll("words") long arg, @ForAll boolean defaultAllows) {
        SeccompPolicy policy;
        try {
            policy = new SeccompPolicy(Arch.X86_64, defaultAllows ? Action.ALLOW : Action.EPERM,
                    SeccompPolicy.allAbisOf(Arch.X86_64), rules, 0);
        } catch (dev.jbox.spec.SpecException conflicting) {
            return;
        }
        BpfInterpreter bpf = new BpfInterpreter(SeccompCompiler.compile(policy));
        long[] args = {arg, arg, arg, arg, arg, arg};
        for (Abi abi : policy.handledAbis()) {
            long first = abi.table().byNumber().firstKey(), last = abi.table().byNumber().lastKey();
            for (long nr = first; nr <= last + 2; nr++) {
                assertEquals(policy.decide(abi, nr, args).ret(), bpf.run(abi.auditArch, nr, args), abi + " " + nr);
            }
        }
    }

    @Provide
    Arbitrary<List<SyscallRule>> tableRules() {
        List<String> names = new ArrayList<>(Abi.X86_64.table().byNumber().values());
        Arbitrary<Action> actions = Arbitraries.of(Action.ALLOW, Action.EPERM, Action.ENOSYS, new Action.Errno(13), Action.KILL_PROCESS);
        Arbitrary<SyscallRule> rule = Combinators.combine(Arbitraries.of(names), actions, conditions().list().ofMaxSize(2))
                .as((name, action, conditions) -> new SyscallRule(name, action, conditions, "generated"));
        return rule.list().ofMinSize(20).ofMaxSize(300);
    }

    @Provide
    Arbitrary<List<SyscallRule>> rules() {
        Arbitrary<Action> actions = Arbitraries.of(Action.ALLOW, Action.EPERM, Action.ENOSYS, new Action.Errno(13), new Action.Log());
        Arbitrary<SyscallRule> rule = Combinators.combine(
                Arbitraries.of("read", "write", "ioctl", "keyctl"), actions, conditions().list().ofMaxSize(3))
                .as((name, action, conditions) -> new SyscallRule(name, action, conditions, "generated"));
        return rule.list().ofMaxSize(8);
    }

    private static SeccompPolicy policy(List<SyscallRule> rules, Action defaultAction) {
        return new SeccompPolicy(Arch.X86_64, defaultAction, EnumSet.of(ABI), new ArrayList<>(rules), 0);
    }
}
