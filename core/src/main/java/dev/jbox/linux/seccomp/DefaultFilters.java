package dev.jbox.linux.seccomp;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The default profile compiled for a sandbox, on the launch path: for Docker's default
 * capabilities the filter ships precompiled ({@link PrecompiledFilter}); any other capability set
 * is compiled on first use. Either way it is kept for the life of the JVM.
 */
public final class DefaultFilters {
    private DefaultFilters() {}

    /** By sandbox (architecture, bounding set, kernel): in practice one or two entries. */
    private static final Map<ProfileEntry.Sandbox, SeccompFilter> FILTERS = new ConcurrentHashMap<>();
    private static final int CACHE_LIMIT = 64;

    public static SeccompFilter filter(ProfileEntry.Sandbox sandbox) {
        SeccompFilter known = FILTERS.get(sandbox);
        if (known != null) return known;
        SeccompFilter filter = PrecompiledFilter.load(sandbox);
        if (filter == null) filter = SeccompFilter.compile(DefaultProfile.profile(), sandbox);
        if (FILTERS.size() < CACHE_LIMIT) FILTERS.putIfAbsent(sandbox, filter);
        return filter;
    }
}
