package dev.jbox.cli;

import dev.jbox.testing.Rootless;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What a plain {@code jbox run} must not load, each costing a cold start (docs/bench.md): picocli
 * (~90 ms: class-file version 49, neither AOT-cached nor split-verified), the bootstrap of a
 * record's equals, hashCode or toString (~10 ms for the first; not in the AOT cache either), and
 * the class a pattern switch spins at its first run (JDK 25's AOT cache keeps none: ~1 ms per
 * switch site). Code on the launch path tells sealed types apart with if-else chains instead, and
 * a test checks each chain's exhaustiveness, which a switch would have had javac check.
 */
class StartupPathTest {
    static List<String> loadedClasses(String... jboxArgs) throws Exception {
        List<String> cmd = new ArrayList<>(CliTest.jbox().command());
        cmd.add(1, "-Xlog:class+load=info:stderr:none");  // after java, before the main class
        cmd.addAll(List.of(jboxArgs));
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        var out = java.util.concurrent.CompletableFuture.supplyAsync(() -> CliTest.read(p.getInputStream()));
        String log = CliTest.read(p.getErrorStream());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "jbox did not finish");
        assertEquals(0, p.exitValue(), log + out.get());
        return log.lines().map(line -> line.split(" ")[0]).toList();
    }

    @Test
    void aPlainRunLoadsNeitherPicocliNorRecordMethodBootstrapsNorSwitchClasses() throws Exception {
        Rootless.assumeUnprivileged();
        List<String> loaded = loadedClasses("run", "-e", "A=1", "--hostname=box", "--", "/bin/true");
        assertTrue(loaded.contains(FastRunParser.class.getName()), "the class-load log is read right: " + loaded.size() + " classes");
        assertEquals(List.of(), loaded.stream().filter(c -> c.startsWith("picocli.")).toList());
        assertFalse(loaded.contains("java.lang.runtime.ObjectMethods"), "a record's equals, hashCode or toString ran");
        List<String> switches = loaded.stream().filter(c -> c.contains("$$TypeSwitch") || c.contains("$$EnumSwitch"))
                .filter(c -> !c.startsWith("jdk.internal.foreign.abi."))  // the FFM linker's own: jbox cannot avoid them
                .toList();
        assertEquals(List.of(), switches, "a pattern switch ran (or a MemorySegment array copy, which uses one: see NativeBytes)");
    }

    @Test
    void helpStillComesFromPicocli() throws Exception {
        assertTrue(loadedClasses("run", "--help").contains("picocli.CommandLine"));
    }
}
