package dev.jbox.cli;

import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parses a plain {@code jbox run …} command line without picocli, whose model of jbox costs ~90 ms
 * of every start (docs/bench.md). Plain means: {@code run} first; every option one of
 * {@link RunOptions} (or {@code --log-level}), given once unless repeatable, as {@code --name
 * VALUE}, {@code --name=VALUE}, {@code -x VALUE}, {@code -xVALUE} or a cluster of flags
 * ({@code -it}); values picocli converts without complaint. For anything else (help, a typo, a
 * missing or invalid value, an {@code @file}, a value that looks like an option) it returns
 * empty and picocli parses the line, so users see picocli's help and messages as before.
 */
final class FastRunParser {
    private FastRunParser() {}

    private static final Map<String, RunOption> BY_NAME = byName();

    private static Map<String, RunOption> byName() {
        Map<String, RunOption> byName = new HashMap<>();
        for (RunOption o : RunOptions.ALL) for (String name : o.names()) byName.put(name, o);
        return byName;
    }

    /** The run command {@code args} (a whole jbox command line) describe, or empty to let picocli parse them. */
    static Optional<RunCommand> parse(String... args) {
        if (args.length == 0 || !args[0].equals(RunOptions.NAME)) return Optional.empty();
        for (String arg : args) {
            if (arg.startsWith("@") && !arg.equals("@")) return Optional.empty();  // picocli expands @files, even after --
        }
        return new Parse(args).run();
    }

    /** One pass over the words after {@code run}. */
    private static final class Parse {
        private final String[] args;
        private final RunCommand run;
        /** Options seen so far (by identity: a record's equals would cost a bootstrap at start-up). */
        private final Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        private int next = 1;

        Parse(String[] args) {
            this.args = args;
            this.run = new RunCommand(List.of(args));
        }

        Optional<RunCommand> run() {
            while (next < args.length) {
                String arg = args[next++];
                boolean understood;
                if (arg.equals("--")) {
                    run.command.addAll(List.of(args).subList(next, args.length));
                    break;
                } else if (!arg.startsWith("-")) {
                    run.command.add(arg);
                    understood = true;
                } else if (arg.startsWith("--")) {
                    understood = longOption(arg);
                } else {
                    understood = shortOptions(arg);
                }
                if (!understood) return Optional.empty();
            }
            return Optional.of(run);
        }

        /** {@code --name}, {@code --name VALUE}, {@code --name=VALUE}. */
        private boolean longOption(String arg) {
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            String attached = eq < 0 ? null : arg.substring(eq + 1);
            // jbox's own option, inherited by run; Main has already applied it.
            if (name.equals(JboxCommand.LOG_LEVEL)) return firstTime(JboxCommand.LOG_LEVEL) && isPlainValue(attached != null ? attached : nextWord());
            RunOption option = BY_NAME.get(name);
            if (option == null) return false;
            if (option.isFlag()) return attached == null && flag(option);
            return value(option, attached != null ? attached : nextWord());
        }

        /** {@code -x VALUE}, {@code -xVALUE}, {@code -x=VALUE}, or flags: {@code -i}, {@code -it}. */
        private boolean shortOptions(String arg) {
            RunOption first = arg.length() < 2 ? null : BY_NAME.get(arg.substring(0, 2));
            if (first == null) return false;
            if (!first.isFlag()) {
                if (arg.length() == 2) return value(first, nextWord());
                return value(first, arg.charAt(2) == '=' ? arg.substring(3) : arg.substring(2));
            }
            for (int i = 1; i < arg.length(); i++) {
                RunOption option = BY_NAME.get("-" + arg.charAt(i));
                if (option == null || !option.isFlag() || !flag(option)) return false;
            }
            return true;
        }

        private String nextWord() {
            return next < args.length ? args[next++] : null;
        }

        private boolean flag(RunOption option) {
            if (!firstTime(option)) return false;
            option.apply().accept(run, Boolean.TRUE);
            return true;
        }

        private boolean value(RunOption option, String text) {
            if (!isPlainValue(text) || !(option.repeatable() || firstTime(option))) return false;
            Object value;
            try {
                value = option.convert(text);
            } catch (RuntimeException invalid) {  // picocli reports it
                return false;
            }
            option.apply().accept(run, value);
            return true;
        }

        private boolean firstTime(Object option) {
            return seen.add(option);
        }
    }

    /**
     * A value picocli takes as it is: present, not empty, and not something that might be an option
     * (it treats {@code -1} and {@code -0.5} as values, decides about other {@code -x} words by
     * heuristics, and rejects option names).
     */
    static boolean isPlainValue(String text) {
        if (text == null || text.isEmpty()) return false;
        return !text.startsWith("-") || isNumber(text);
    }

    private static boolean isNumber(String text) {
        try {
            Long.decode(text);
            return true;
        } catch (NumberFormatException notLong) {
            try {
                Double.parseDouble(text);
                return true;
            } catch (NumberFormatException notDouble) {
                return false;
            }
        }
    }
}
