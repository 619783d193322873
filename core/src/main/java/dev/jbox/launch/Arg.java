package dev.jbox.launch;

import java.util.List;

/** An argument of a call in the chain, turned into a 64-bit value when the chain is assembled. */
sealed interface Arg {
    record Num(long value) implements Arg {}

    /** A NUL-terminated string in native memory. */
    record CString(String value) implements Arg {}

    /** A copy of these bytes in native memory (structs built in Java: ifreq, capset data). */
    record Bytes(byte[] value) implements Arg {}

    /** A {@code struct sock_fprog} pointing at a copy of the program. */
    record Fprog(byte[] program, int instructions) implements Arg {}

    /** A NULL-terminated array of C strings (argv, envp). */
    record StringArray(List<String> values) implements Arg {}

    /** The protocol's first go buffer (one byte). */
    record GoByte() implements Arg {}

    /** The exec gate: the buffer the final go message fills with the candidate paths. */
    record Gate() implements Arg {}

    /** Candidate {@code index}'s path inside the exec gate. */
    record GatePath(int index) implements Arg {}

    static Arg num(long v) { return new Num(v); }

    static Arg str(String s) { return s == null ? new Num(0) : new CString(s); }
}
