package dev.jbox.linux.seccomp;

import dev.jbox.linux.Arch;
import dev.jbox.spec.SpecException;

import java.util.ArrayList;
import java.util.List;

/**
 * A compiled filter, ready for {@code seccomp(SECCOMP_SET_MODE_FILTER, flags, &fprog)}.
 *
 * @param source what it was compiled from, for messages and {@code --dry-run}
 */
public record SeccompFilter(BpfProgram program, int flags, String source) {
    /**
     * The calls the launch chain makes after installing the filter: glibc's {@code setcontext}
     * restores each link's signal mask with {@code rt_sigprocmask(SIG_SETMASK, …)}; the chain
     * writes {@code ready}, reads {@code go}, marks descriptors close-on-exec, resets the JVM's
     * signal handlers with {@code rt_sigaction}, and execs, or exits when exec fails.
     */
    static final List<String> CALLS_AFTER_INSTALL =
            List.of("rt_sigprocmask", "write", "read", "close_range", "rt_sigaction", "execve", "exit_group");
    private static final int SIG_SETMASK = 2;

    /**
     * Resolves {@code profile} for {@code sandbox} and compiles it.
     *
     * @throws SpecException if the profile is inconsistent, or denies a call the chain needs
     */
    public static SeccompFilter compile(SeccompProfile profile, ProfileEntry.Sandbox sandbox) {
        SeccompPolicy policy = profile.select(sandbox);
        requireChainCalls(policy, profile.source());
        return new SeccompFilter(SeccompCompiler.compile(policy), policy.flags(), profile.source());
    }

    private static void requireChainCalls(SeccompPolicy policy, String source) {
        Abi abi = Abi.nativeOf(policy.arch());
        List<String> denied = new ArrayList<>();
        for (String call : CALLS_AFTER_INSTALL) {
            long[] args = new long[ArgCondition.MAX_ARGS];
            if (call.equals("rt_sigprocmask")) args[0] = SIG_SETMASK;
            if (!policy.decide(abi, abi.table().number(call), args).runsTheCall()) denied.add(call);
        }
        if (!denied.isEmpty()) {
            throw new SpecException(source + " does not allow " + String.join(", ", denied) + ", which jbox itself calls"
                    + " between installing the filter and starting the command: allow " + String.join(", ", CALLS_AFTER_INSTALL));
        }
    }

    /** One line for {@code --dry-run}. */
    public String describe(Arch arch) {
        return source + " for " + arch.name().toLowerCase(java.util.Locale.ROOT) + ", " + program.length() + " BPF instructions"
                + (flags == 0 ? "" : ", flags 0x" + Integer.toHexString(flags));
    }
}
