package dev.jbox.plugin.storage;

import java.util.function.Supplier;

/** A value computed on first use: the store is not opened (nor created) when the plugin merely loads. */
final class Lazy<T> implements Supplier<T> {
    private final Supplier<T> compute;
    private T value;

    private Lazy(Supplier<T> compute) {
        this.compute = compute;
    }

    static <T> Lazy<T> of(Supplier<T> compute) {
        return new Lazy<>(compute);
    }

    @Override
    public synchronized T get() {
        if (value == null) value = compute.get();
        return value;
    }
}
