package dev.jbox.plugins;

import dev.jbox.JboxException;
import dev.jbox.spec.NetworkMode;
import dev.jbox.spec.RootFs;
import dev.jbox.spi.CommandProvider;
import dev.jbox.spi.NetworkProvider;
import dev.jbox.spi.ResourceLimiter;
import dev.jbox.spi.StorageProvider;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The extensions jbox can use: loaded by PF4J from plugin directories, or given directly by a
 * library user. Loading is lazy: a sandbox that needs no plugin never starts PF4J.
 */
public final class Plugins {
    /** One installed plugin, for {@code jbox info} and error messages. */
    public record Installed(String id, String version, String state, String failure) {
        @Override
        public String toString() {
            return id + " " + version + (failure == null ? "" : " [" + state + ": " + failure + "]");
        }
    }

    private record Loaded(List<StorageProvider> storage, List<NetworkProvider> network, List<ResourceLimiter> limiters,
                          List<Object> commands, List<Installed> installed) {}

    private final Supplier<Loaded> loader;
    private Loaded loaded;

    private Plugins(Supplier<Loaded> loader) {
        this.loader = loader;
    }

    /** Extensions given directly (library use, tests). */
    public static Plugins of(List<StorageProvider> storage, List<NetworkProvider> network, List<ResourceLimiter> limiters) {
        Loaded l = new Loaded(List.copyOf(storage), List.copyOf(network), List.copyOf(limiters), List.of(), List.of());
        return new Plugins(() -> l);
    }

    public static Plugins none() {
        return of(List.of(), List.of(), List.of());
    }

    /** PF4J plugins from {@code dir} (each a directory plugin: plugin.properties, classes/, lib/). */
    public static Plugins fromDirectory(Path dir) {
        return new Plugins(() -> load(dir));
    }

    /** The distribution's plugins: system property {@code jbox.plugins.dir}, else env {@code JBOX_PLUGINS_DIR}. */
    public static Plugins fromEnvironment() {
        String dir = System.getProperty("jbox.plugins.dir", System.getenv("JBOX_PLUGINS_DIR"));
        return dir == null || dir.isEmpty() ? none() : fromDirectory(Path.of(dir));
    }

    private static volatile boolean anyLoaded;

    /** Whether this JVM loaded plugins (whose code may have registered shutdown hooks). */
    public static boolean anyLoaded() {
        return anyLoaded;
    }

    private static Loaded load(Path dir) {
        anyLoaded = true;
        if (!Files.isDirectory(dir)) return new Loaded(List.of(), List.of(), List.of(), List.of(), List.of());
        PluginManager manager = new DefaultPluginManager(dir);
        manager.loadPlugins();
        manager.startPlugins();
        List<Installed> installed = new ArrayList<>();
        for (PluginWrapper w : manager.getPlugins()) {
            Throwable failed = w.getFailedException();
            installed.add(new Installed(w.getPluginId(), w.getDescriptor().getVersion(), w.getPluginState().toString(),
                    w.getPluginState() == PluginState.STARTED ? null : failed == null ? "not started" : failed.toString()));
        }
        List<Object> commands = manager.getExtensions(CommandProvider.class).stream().flatMap(c -> c.commands().stream()).toList();
        return new Loaded(manager.getExtensions(StorageProvider.class), manager.getExtensions(NetworkProvider.class),
                manager.getExtensions(ResourceLimiter.class), commands, installed);
    }

    private synchronized Loaded loaded() {
        if (loaded == null) loaded = loader.get();
        return loaded;
    }

    public List<Installed> installed() {
        return loaded().installed();
    }

    public StorageProvider storageFor(RootFs rootfs) {
        return loaded().storage().stream().filter(p -> p.supports(rootfs)).findFirst()
                .orElseThrow(() -> missing("no plugin provides images (" + rootfs + ")", "storage-overlay"));
    }

    public NetworkProvider networkFor(NetworkMode mode) {
        return loaded().network().stream().filter(p -> p.supports(mode)).findFirst()
                .orElseThrow(() -> missing("no plugin provides --network " + mode.label(), "net-slirp"));
    }

    public ResourceLimiter limiter() {
        return loaded().limiters().stream().findFirst()
                .orElseThrow(() -> missing("no plugin applies resource limits", "cgroup-delegate"));
    }

    /** Every storage provider (jbox rm asks each to drop what it keeps for a sandbox). */
    public List<StorageProvider> storageProviders() {
        return loaded().storage();
    }

    /** picocli command objects contributed by plugins (images, pull, import, rmi). */
    public List<Object> commands() {
        return loaded().commands();
    }

    /** The limiter plugin, if one is installed (for reading usage, where a missing plugin is no error). */
    public java.util.Optional<ResourceLimiter> limiterIfInstalled() {
        return loaded().limiters().stream().findFirst();
    }

    private JboxException missing(String what, String pluginId) {
        List<Installed> installed = installed();
        String list = installed.isEmpty() ? "none" : installed.stream().map(Installed::toString).reduce((a, b) -> a + ", " + b).orElseThrow();
        return new JboxException(what + "; installed plugins: " + list,
                "the " + pluginId + " plugin is needed: build it (./jbox builds all plugins) or set JBOX_PLUGINS_DIR");
    }
}
