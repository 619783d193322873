package dev.jbox.linux.seccomp;

import dev.jbox.linux.Arch;
import dev.jbox.linux.Capabilities;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static dev.jbox.linux.seccomp.FilterHarness.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The default filter, now with shared returns, decides exactly as it did before them: the
 * snapshot {@code default-filter-<arch>.one-ret-per-range.txt} is the program the compiler made
 * of the same profile with a {@code ret} per range. Both run under the test interpreter for every
 * syscall number of every ABI (and the numbers around and between them), under each AUDIT_ARCH,
 * with argument vectors made from every constant the profile compares arguments with. When the
 * default profile itself changes, the snapshot no longer applies: delete it with this test.
 */
class DefaultFilterSnapshotTest {
    @ParameterizedTest
    @EnumSource(Arch.class)
    void sharedReturnsChangeNoDecision(Arch arch) throws IOException {
        BpfProgram before = snapshot(arch);
        ProfileEntry.Sandbox sandbox = FilterHarness.sandbox(arch, Capabilities.dockerDefault(40));
        SeccompPolicy policy = DefaultProfile.profile().select(sandbox);
        BpfProgram now = SeccompFilter.compile(DefaultProfile.profile(), sandbox).program();  // the shipped file is this (PrecompiledFilterTest)
        assertTrue(now.length() * 4 < before.length() * 3, "shorter by a quarter at least: " + before.length() + " -> " + now.length());
        BpfInterpreter old = new BpfInterpreter(before), current = new BpfInterpreter(now);
        List<long[]> argVectors = argumentVectors(policy);
        Set<Integer> arches = new LinkedHashSet<>(List.of(0x40000028 /* ARM */, 0x80000016 /* S390X */, 0));
        for (Abi abi : Abi.values()) arches.add(abi.auditArch);
        long runs = 0;
        for (int auditArch : arches) {
            for (long nr : numbers()) {
                for (long[] args : argVectors) {
                    int expected = old.run(auditArch, nr, args);
                    int actual = current.run(auditArch, nr, args);
                    if (expected != actual) {
                        assertEquals(describe(expected), describe(actual), String.format("arch 0x%x nr 0x%x args %s", auditArch, nr, java.util.Arrays.toString(args)));
                    }
                    runs++;
                }
            }
        }
        assertTrue(runs > 100_000, runs + " calls compared");
    }

    /** 0..1100, the x32 numbers 0x40000000..+1100, and the edges of the 32-bit number space. */
    static List<Long> numbers() {
        List<Long> out = new ArrayList<>();
        for (long nr = 0; nr <= 1100; nr++) {
            out.add(nr);
            out.add(0x4000_0000L + nr);
        }
        out.addAll(List.of(0x3FFF_FFFFL, 0x7FFF_FFFFL, 0x8000_0000L, 0xBFFF_FFFFL, 0xC000_0000L, 0xFFFF_FFFEL, 0xFFFF_FFFFL));
        return out;
    }

    /** Zeros, all ones, random words, and every constant of the profile's comparisons (and its neighbours) in every argument. */
    static List<long[]> argumentVectors(SeccompPolicy policy) {
        Set<Long> constants = new LinkedHashSet<>(List.of(0L, -1L, 1L, 0xFFFF_FFFFL, 0x1_0000_0000L));
        for (Decision d : policy.decisions().values()) {
            if (!(d instanceof Decision.ByArguments b)) continue;
            for (SyscallRule rule : b.rules()) {
                for (ArgCondition c : rule.conditions()) {
                    for (long v : new long[] {c.value(), c.valueTwo()}) {
                        constants.addAll(List.of(v, v - 1, v + 1, ~v, v | 0xFFFF_FFFF_0000_0000L, v & 0xFFFF_FFFFL));
                    }
                    constants.add(c.value() & c.valueTwo());
                    constants.add(c.valueTwo() | (c.value() & 0x5555_5555_5555_5555L));
                }
            }
        }
        List<long[]> out = new ArrayList<>();
        for (long c : constants) out.add(new long[] {c, c, c, c, c, c});
        Random random = new Random(7);
        List<Long> pool = new ArrayList<>(constants);
        for (int i = 0; i < 16; i++) {
            long[] args = new long[6];
            for (int a = 0; a < 6; a++) args[a] = random.nextBoolean() ? pool.get(random.nextInt(pool.size())) : random.nextLong();
            out.add(args);
        }
        return out;
    }

    private static BpfProgram snapshot(Arch arch) throws IOException {
        String name = "default-filter-" + arch.name().toLowerCase(java.util.Locale.ROOT) + ".one-ret-per-range.txt";
        try (InputStream in = DefaultFilterSnapshotTest.class.getResourceAsStream(name)) {
            assertNotNull(in, name);
            return parse(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        }
    }

    /** The snapshot's text: one {@code struct sock_filter} per line, "code jt jf k" in hex (what jbox shipped then). */
    private static BpfProgram parse(String text) {
        java.util.List<BpfInsn> insns = new java.util.ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) continue;
            insns.add(new BpfInsn(Integer.parseInt(line, 0, 4, 16), Integer.parseInt(line, 5, 7, 16),
                    Integer.parseInt(line, 8, 10, 16), Integer.parseUnsignedInt(line, 11, 19, 16)));
        }
        return new BpfProgram(insns);
    }
}
