package dev.jbox.state;

import dev.jbox.JboxException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The command line of a monitor JVM: this JVM's java and class path, jbox's own system
 * properties (the launcher's {@code -Djbox.plugins.dir}), a small serial-GC heap, all in a new
 * session ({@code setsid}), so the terminal's SIGINT and SIGHUP stay with the foreground jbox.
 */
public final class MonitorJvm {
    private MonitorJvm() {}

    /**
     * Small and lean: the monitor mostly sleeps in waitid. A 4 MB initial heap and returning freed
     * malloc memory (the compiler's arenas) cut its RSS from 66 to 52 MB (docs/detached.md); no
     * perf-data file in /tmp.
     */
    static final List<String> FLAGS = List.of("--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xms4m", "-Xmx32m",
            "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-Xss512k", "-XX:-UsePerfData",
            "-XX:TrimNativeHeapInterval=5000");

    /**
     * The launcher's AOT cache ({@code ./jbox} sets it), valid for this class path, which the
     * monitor shares: without it the monitor's start is most of a {@code jbox run -d}.
     */
    static final String AOT_CACHE_PROPERTY = "jbox.aot.cache";

    public static List<String> command(String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(setsid().toString());
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(FLAGS);
        String cache = System.getProperty(AOT_CACHE_PROPERTY);
        cmd.addAll(cache == null ? List.of("-Xshare:auto") : List.of("-XX:AOTCache=" + cache, "-Xlog:aot=off", "-Xlog:cds=off"));
        System.getProperties().stringPropertyNames().stream().filter(n -> n.startsWith("jbox.")).sorted()
                .forEach(n -> cmd.add("-D" + n + "=" + System.getProperty(n)));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    private static Path setsid() {
        return Stream.of("/usr/bin/setsid", "/bin/setsid").map(Path::of).filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new JboxException("starting a detached sandbox: setsid(1) not found in /usr/bin or /bin",
                        "install util-linux"));
    }
}
