package dev.jbox.launch;

import dev.jbox.JboxException;
import dev.jbox.linux.CloneFlags;
import dev.jbox.plan.ExecPlan;
import dev.jbox.plan.LaunchPlan;
import dev.jbox.plan.PlanCompiler;
import dev.jbox.plan.Step;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.spi.ChildProcess;
import dev.jbox.spi.ExitStatus;
import dev.jbox.spi.LaunchHooks;

import java.io.File;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A program run inside a sandbox's namespaces (DESIGN §2): fuse-overlayfs mounting the root in the
 * sandbox's mount namespace. It is launched like the sandbox, as a chain: the child joins the
 * namespaces with setns(2) (allowed there, it is single-threaded), arms a parent-death signal,
 * and execs the program only once the parent has checked those steps and released it.
 *
 * <p>The parent-death signal fires when the thread that cloned the helper ends, so each helper has
 * a keeper thread of its own that clones it and then waits for it to exit: the helper dies with
 * jbox (even on SIGKILL) and never earlier.
 */
public final class NamespaceHelper {
    /** The namespaces a root-mounting helper joins: the sandbox's user namespace (for its capabilities) and its mount namespace. */
    public static final int USER_AND_MOUNT = CloneFlags.CLONE_NEWUSER | CloneFlags.CLONE_NEWNS;
    private static final int SIGTERM = 15, SIGKILL = 9;
    private static final long KEEPER_STACK = 256 * 1024;

    private final String name;
    private final SandboxProcess process;

    private NamespaceHelper(String name, SandboxProcess process) {
        this.name = name;
        this.process = process;
    }

    /** What the helper's chain does, as a plan ({@code --dry-run}, tests): join, arm the signal, exec. */
    public static LaunchPlan plan(int sandboxPid, int namespaces, Path program, List<String> argv) {
        List<Step> steps = List.of(new Step.JoinNamespaces(sandboxPid, namespaces), new Step.DieWithParent(SIGKILL));
        ExecPlan exec = new ExecPlan(List.of(program.toString()), argv, List.of("PATH=" + PlanCompiler.DEFAULT_PATH));
        return new LaunchPlan(0, null, steps, exec);
    }

    /**
     * Starts {@code argv} ({@code program} is the executable's absolute path) in {@code namespaces}
     * of {@code sandbox}, with stdin from /dev/null and stdout and stderr appended to {@code log}.
     * Returns once it runs; throws a {@link JboxException} naming the step that failed otherwise.
     */
    public static NamespaceHelper start(ChildProcess sandbox, int namespaces, Path program, List<String> argv, Path log) {
        LaunchPlan plan = plan(sandbox.pid(), namespaces, program, argv);
        SandboxSpec io = SandboxSpec.builder().command(argv).stdin(Redirect.from(new File("/dev/null")))
                .stdout(Redirect.appendTo(log.toFile())).stderr(Redirect.appendTo(log.toFile()))
                .stopTimeout(Duration.ofSeconds(2)).build();
        String name = program.getFileName().toString();
        CompletableFuture<SandboxProcess> started = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("jbox-" + name).stackSize(KEEPER_STACK).start(() -> keep(plan, io, started));
        try {
            return new NamespaceHelper(name, started.get());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof JboxException j) throw j;
            throw new JboxException("starting " + name + " in the sandbox's namespaces: " + e.getCause(), null, JboxException.EXIT_JBOX, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JboxException("starting " + name + " in the sandbox's namespaces: interrupted");
        }
    }

    /** The keeper: clones the helper (as its parent thread) and stays until the helper has exited. */
    private static void keep(LaunchPlan plan, SandboxSpec io, CompletableFuture<SandboxProcess> started) {
        SandboxProcess p;
        try {
            p = Launcher.launch(plan, io, LaunchHooks.NONE, System.getProperty("user.name"));
        } catch (RuntimeException | Error e) {
            started.completeExceptionally(e);
            return;
        }
        started.complete(p);
        while (true) {
            try {
                p.waitFor();
                return;
            } catch (InterruptedException e) {
                // This thread must outlive the helper; nobody interrupts it on purpose.
            }
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** How the helper ended, once it has. */
    public Optional<ExitStatus> exitStatus() {
        if (process.isAlive()) return Optional.empty();
        try {
            return Optional.of(process.exitStatus());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** SIGTERM (fuse-overlayfs unmounts and exits), SIGKILL after {@code grace}; returns once it is reaped. */
    public void stop(Duration grace) {
        if (!process.signal(SIGTERM)) {
            awaitReaped();
            return;
        }
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) process.signal(SIGKILL);
        } catch (InterruptedException e) {
            process.signal(SIGKILL);
            Thread.currentThread().interrupt();
        }
        awaitReaped();
    }

    private void awaitReaped() {
        try {
            process.onExit().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            System.getLogger("jbox").log(System.Logger.Level.WARNING, "waiting for " + name + " " + pid() + " to end: " + e);
        }
    }
}
