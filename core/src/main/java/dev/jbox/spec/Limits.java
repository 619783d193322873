package dev.jbox.spec;

import java.util.Locale;

/**
 * Resource limits, applied by a ResourceLimiter plugin. Null means "not set". A sandbox with
 * limits requested never runs without them (cgroup-delegate refuses instead).
 */
public record Limits(Long memoryBytes, Long memorySwapBytes, Double cpus, Long pidsLimit, Integer cpuWeight, Integer ioWeight) {
    public static final Limits NONE = new Limits(null, null, null, null, null, null);

    public Limits {
        if (memoryBytes != null && memoryBytes <= 0) throw new SpecException("--memory must be positive");
        if (memorySwapBytes != null && memorySwapBytes < -1) throw new SpecException("--memory-swap must be -1 (unlimited) or a size");
        if (cpus != null && !(cpus > 0)) throw new SpecException("--cpus must be positive, e.g. 0.5");
        if (pidsLimit != null && pidsLimit <= 0) throw new SpecException("--pids-limit must be positive");
        if (cpuWeight != null && (cpuWeight < 1 || cpuWeight > 10000)) throw new SpecException("--cpu-weight must be 1-10000");
        if (ioWeight != null && (ioWeight < 1 || ioWeight > 10000)) throw new SpecException("--io-weight must be 1-10000");
    }

    /** Nothing set. Not {@code equals(NONE)}: a record's first equals costs a cold {@code jbox run} ~10 ms. */
    public boolean isEmpty() {
        return memoryBytes == null && memorySwapBytes == null && cpus == null && pidsLimit == null && cpuWeight == null && ioWeight == null;
    }

    /** Parses {@code 512m}, {@code 2G}, {@code 1.5g}, {@code 1048576} (bytes; k/m/g/t are powers of 1024). */
    public static long parseSize(String what, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("ib")) t = t.substring(0, t.length() - 2);
        else if (t.endsWith("b") && t.length() > 1 && !Character.isDigit(t.charAt(t.length() - 2))) t = t.substring(0, t.length() - 1);
        long unit = 1;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'k' -> unit = 1L << 10;
                case 'm' -> unit = 1L << 20;
                case 'g' -> unit = 1L << 30;
                case 't' -> unit = 1L << 40;
                default -> { }
            }
            if (unit != 1) t = t.substring(0, t.length() - 1);
        }
        try {
            double value = Double.parseDouble(t);
            if (value < 0 || Double.isNaN(value) || Double.isInfinite(value)) throw new NumberFormatException();
            return (long) (value * unit);
        } catch (NumberFormatException e) {
            throw new SpecException(what + " " + text + ": expected a size such as 512m, 2G or 1048576");
        }
    }
}
