package dev.jbox.cli;

import dev.jbox.linux.ProcFiles;
import dev.jbox.plugins.Plugins;
import picocli.CommandLine.Command;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "info", mixinStandardHelpOptions = true, description = "Print jbox's version, the kernel, and the loaded plugins.",
        footer = {"", "Example:", "  jbox info"})
final class InfoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("jbox:     " + Version.get());
        System.out.println("java:     " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")");
        System.out.println("kernel:   " + ProcFiles.read(Path.of("/proc/sys/kernel/osrelease")).orElse("unknown") + " " + System.getProperty("os.arch"));
        System.out.println("plugins:  " + System.getProperty("jbox.plugins.dir", System.getenv().getOrDefault("JBOX_PLUGINS_DIR", "(none)")));
        var installed = Plugins.fromEnvironment().installed();
        if (installed.isEmpty()) System.out.println("  (no plugins loaded)");
        installed.forEach(p -> System.out.println("  " + p));
        return 0;
    }
}
