package dev.jbox.launch;

import dev.jbox.linux.Sys;

import java.util.List;

/**
 * One {@code syscall(nr, args…)} link of the chain. {@code step} is the index of the plan step it
 * belongs to, or a negative {@link Phase} value for the protocol's own calls.
 */
record Call(int step, Sys sys, List<Arg> args) {
    Call {
        args = List.copyOf(args);
        if (args.size() > 5) throw new IllegalArgumentException(sys + ": at most 5 arguments fit a link");
    }

    Call(int step, Sys sys, Arg... args) {
        this(step, sys, List.of(args));
    }
}
