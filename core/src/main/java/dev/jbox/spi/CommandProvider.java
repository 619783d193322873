package dev.jbox.spi;

import org.pf4j.ExtensionPoint;

import java.util.List;

/**
 * CLI subcommands contributed by a plugin: picocli {@code @Command} objects the core adds to
 * {@code jbox} (e.g. the storage plugin's {@code images}, {@code pull}, {@code import}, {@code rmi}).
 */
public interface CommandProvider extends ExtensionPoint {
    List<Object> commands();
}
