package dev.jbox.state;

import java.util.List;
import java.util.Locale;

/** Signal names as {@code kill -s} takes them: {@code TERM}, {@code SIGTERM}, {@code sigterm} or {@code 15}. */
public final class SignalNames {
    private SignalNames() {}

    /** Index = number; the same on x86-64 and aarch64 (asm-generic). */
    private static final List<String> NAMES = List.of("", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1",
            "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ",
            "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS");
    private static final int MAX = 64;  // SIGRTMAX

    public static int parse(String signal) {
        String s = signal.strip().toUpperCase(Locale.ROOT);
        if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
            int n = s.length() > 3 ? -1 : Integer.parseInt(s);
            if (n >= 1 && n <= MAX) return n;
        } else {
            String name = s.startsWith("SIG") ? s.substring(3) : s;
            int n = NAMES.indexOf(name);
            if (n > 0) return n;
            if (name.equals("IOT")) return 6;
            if (name.equals("POLL")) return 29;
        }
        throw new IllegalArgumentException("unknown signal " + signal + ": give a name (TERM, SIGKILL, USR1, …) or a number from 1 to " + MAX);
    }
}
