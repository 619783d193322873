package dev.jbox.linux;

import dev.jbox.spec.SpecException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The capability sets a sandbox's workload ends up with, as 64-bit masks (bit n = capability n).
 * Inheritable is always empty (Docker's fix for CVE-2022-24769); ambient is never raised. The chain
 * applies them after switching to the workload's ids: {@code capset} with {@link #effective()},
 * {@link #permitted()}, {@link #inheritable()} then only lowers what the id switch left.
 *
 * @param lastCap the running kernel's highest capability ({@code /proc/sys/kernel/cap_last_cap}):
 *                the chain drops 0..lastCap from the bounding set; higher ones do not exist there
 *                (dropping them fails with EINVAL), and caps the kernel lacks are never granted
 * @param root    the workload runs as uid 0 inside (else it gets no effective or permitted capability)
 */
public record Capabilities(long bounding, long effective, long permitted, long inheritable, int lastCap, boolean root) {
    public Capabilities {
        if (lastCap < 0 || lastCap > 63) throw new IllegalArgumentException("cap_last_cap must be 0..63, not " + lastCap);
        if ((effective & ~permitted) != 0 || (permitted & ~bounding) != 0) {
            throw new IllegalArgumentException("effective ⊆ permitted ⊆ bounding does not hold");
        }
        if (!root && permitted != 0) throw new IllegalArgumentException("a workload not running as uid 0 gets no permitted capability");
    }

    /**
     * Applies {@code --cap-add}/{@code --cap-drop} to Docker's default set, as Docker does: with
     * {@code --cap-add ALL}, every capability but those dropped; with {@code --cap-drop ALL}, exactly
     * those added; otherwise the defaults minus the dropped plus the added (adding wins when a name
     * is in both). A workload that does not run as uid 0 gets no effective or permitted capability.
     *
     * @throws SpecException for an unknown name, or an added capability the kernel does not have
     */
    public static Capabilities resolve(Collection<String> add, Collection<String> drop, boolean root, int lastCap) {
        Set<Capability> added = parseAll(add), dropped = parseAll(drop);
        Set<Capability> kept;
        if (containsAll(add)) {
            kept = EnumSet.allOf(Capability.class);
            kept.removeAll(dropped);
        } else if (containsAll(drop)) {
            kept = added;
        } else {
            kept = EnumSet.copyOf(Capability.DOCKER_DEFAULT);
            kept.removeAll(dropped);
            kept.addAll(added);
        }
        for (Capability c : added) {
            if (c.number() > lastCap) {
                throw new SpecException("--cap-add " + c.name() + ": the running kernel does not have this capability"
                        + " (its last is " + lastCap + ", " + c.name() + " is " + c.number() + ")");
            }
        }
        long bounding = Capability.maskOf(kept) & knownTo(lastCap);
        long granted = root ? bounding : 0;
        return new Capabilities(bounding, granted, granted, 0, lastCap, root);
    }

    // Loops, not streams, here and below: this runs on every launch, often in a cold JVM.
    private static boolean containsAll(Collection<String> words) {
        for (String word : words) {
            if (Capability.isAll(word)) return true;
        }
        return false;
    }

    /** Docker's defaults for uid 0, without any change. */
    public static Capabilities dockerDefault(int lastCap) {
        return resolve(List.of(), List.of(), true, lastCap);
    }

    private static Set<Capability> parseAll(Collection<String> words) {
        Set<Capability> set = EnumSet.noneOf(Capability.class);
        for (String word : words) {
            if (!Capability.isAll(word)) set.add(Capability.parse(word));
        }
        return set;
    }

    private static long knownTo(int lastCap) {
        return lastCap == 63 ? -1L : (1L << (lastCap + 1)) - 1;
    }

    /** Capability numbers the chain drops with {@code prctl(PR_CAPBSET_DROP, n)}, ascending. */
    public List<Integer> boundingDrops() {
        List<Integer> drops = new ArrayList<>();
        for (int n = 0; n <= lastCap; n++) {
            if ((bounding & (1L << n)) == 0) drops.add(n);
        }
        return drops;
    }

    /** The same as a mask, for a plan step that drops every set bit. */
    public long boundingDropMask() {
        long mask = 0;
        for (int n : boundingDrops()) mask |= 1L << n;
        return mask;
    }

    /** {@code CAP_X} names of the bounding set: what Docker's seccomp {@code includes.caps} looks at. */
    public Set<String> boundingNames() {
        Set<String> names = new HashSet<>();
        for (Capability c : Capability.ofMask(bounding)) names.add(c.capName());
        return Set.copyOf(names);
    }

    /** One line for {@code --dry-run}: bounding set names and whether they are effective. */
    public String describe() {
        String names = Capability.ofMask(bounding).stream().map(Enum::name).collect(Collectors.joining(","));
        return "bounding=" + (names.isEmpty() ? "none" : names)
                + (effective == 0 ? " (none effective)" : effective == bounding ? " (all effective)" : " effective=0x" + Long.toHexString(effective));
    }

    /** {@code /proc/sys/kernel/cap_last_cap}, read once; the highest {@link Capability} if unreadable. */
    public static int lastCapOfRunningKernel() {
        return LastCap.VALUE;
    }

    private static final class LastCap {
        static final int VALUE = read();

        private static int read() {
            // Not Files.readString: on an integer sysctl it reads the first byte, then gets EOF at
            // offset 1 ("4" for "40"). One read(2) of a whole buffer gets the value.
            try (InputStream in = Files.newInputStream(Path.of("/proc/sys/kernel/cap_last_cap"))) {
                int n = Integer.parseInt(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
                return Math.clamp(n, 0, 63);
            } catch (IOException | NumberFormatException e) {
                return Capability.values().length - 1;
            }
        }
    }
}
