package dev.jbox.state;

/** Sends signals to recorded processes; an interface so pid-reuse safety is tested without real processes. */
@FunctionalInterface
public interface Signaller {
    /**
     * Sends {@code signal} to {@code pid} if it is still the process that started at
     * {@code startTime}; false (and nothing sent) if it exited or the pid now names another process.
     */
    boolean send(long pid, long startTime, int signal);
}
