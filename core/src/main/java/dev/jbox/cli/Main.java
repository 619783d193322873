package dev.jbox.cli;

import dev.jbox.JboxException;
import dev.jbox.StartupTimeline;
import dev.jbox.linux.Linux;
import dev.jbox.linux.Syscall;
import dev.jbox.plugins.Plugins;

import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The {@code jbox} command line: a thin layer over {@link dev.jbox.Sandbox}. A plain
 * {@code jbox run} is parsed by {@link FastRunParser}; everything else by picocli ({@link JboxCommand}).
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        StartupTimeline.mark("main");
        int status = run(args);
        StartupTimeline.print(System.err);
        exit(status);
    }

    /**
     * Without plugins, jbox leaves nothing to do at exit (a TerminalSession removes its shutdown
     * hook when it closes), so once its output is flushed it ends the process itself: with
     * exit_group(2) when the syscall door is open anyway, else with halt. The JVM's own exit would
     * cost: System.exit looks up a System.Logger to log the exit (JDK 21+), scanning every jar for
     * a LoggerFinder (~3 ms of a cold {@code jbox run}); exit and halt both wait up to 300 ms for
     * threads blocked in native code, as the JDK's reaper of the monitor {@code jbox run -d}
     * leaves running is (docs/bench.md).
     */
    private static void exit(int status) {
        if (!Plugins.anyLoaded()) {
            System.out.flush();
            System.err.flush();
            if (Syscall.linked()) Linux.exitGroup(status);
            Runtime.getRuntime().halt(status);
        }
        System.exit(status);
    }

    static int run(String... args) {
        // Before anything logs (plugin loading may precede parsing): slf4j-simple reads its level once.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", logLevelIn(args));
        // dbus-java announces its transport at INFO on every limited run: quiet by default.
        if (System.getProperty("org.slf4j.simpleLogger.log.org.freedesktop.dbus") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.org.freedesktop.dbus", "warn");
        }
        Optional<RunCommand> plainRun = FastRunParser.parse(args);
        StartupTimeline.mark("arguments parsed");
        return plainRun.isPresent() ? execute(plainRun.get()) : JboxCommand.execute(args);
    }

    /** The value of --log-level among the arguments (before any --), else warn: quiet by default. */
    static String logLevelIn(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--")) break;
            if (args[i].startsWith(JboxCommand.LOG_LEVEL + "=")) return args[i].substring(JboxCommand.LOG_LEVEL.length() + 1);
            if (args[i].equals(JboxCommand.LOG_LEVEL) && i + 1 < args.length) return args[i + 1];
        }
        return "warn";
    }

    /** Runs a parsed command as picocli would: its result is the exit status, its exception is {@link #report}ed. */
    private static int execute(Callable<Integer> command) {
        try {
            return command.call();
        } catch (Exception e) {
            return report(e);
        }
    }

    /** jbox's errors are one line, never a stack trace (unless --log-level debug). */
    static int report(Exception e) {
        if (e instanceof JboxException j) {
            System.err.println("jbox: " + j.userMessage());
            if (isDebug()) j.printStackTrace();
            return j.exitCode();
        }
        if (e instanceof IllegalArgumentException i) {  // SpecException and other validation failures
            System.err.println("jbox: " + i.getMessage());
            return JboxException.EXIT_JBOX;
        }
        System.err.println("jbox: internal error: " + e + " (please report it; --log-level debug shows the stack)");
        if (isDebug()) e.printStackTrace();
        return JboxException.EXIT_JBOX;
    }

    private static boolean isDebug() {
        return "debug".equals(System.getProperty("org.slf4j.simpleLogger.defaultLogLevel"));
    }
}
