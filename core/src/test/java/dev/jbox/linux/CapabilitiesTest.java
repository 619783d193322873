package dev.jbox.linux;

import dev.jbox.spec.SpecException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.jbox.linux.Capability.AUDIT_WRITE;
import static dev.jbox.linux.Capability.CHOWN;
import static dev.jbox.linux.Capability.NET_RAW;
import static dev.jbox.linux.Capability.SYS_ADMIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CapabilitiesTest {
    private static final int LAST = 40;

    @Test
    void numbersMatchTheKernelHeader() throws IOException {
        Path header = Path.of("/usr/include/linux/capability.h");
        assumeTrue(Files.exists(header), "needs the kernel headers (linux-libc-dev) to cross-check capability numbers");
        Matcher m = Pattern.compile("#define\\s+CAP_([A-Z_]+)\\s+(\\d+)\\s*$", Pattern.MULTILINE).matcher(Files.readString(header));
        int seen = 0;
        while (m.find()) {
            if (m.group(1).equals("LAST_CAP")) continue;
            assertEquals(Integer.parseInt(m.group(2)), Capability.valueOf(m.group(1)).number(), m.group(1));
            seen++;
        }
        assertEquals(Capability.values().length, seen, "every capability of the header, and no other");
    }

    @Test
    void parsesNamesWithOrWithoutPrefixInAnyCase() {
        assertEquals(NET_RAW, Capability.parse("NET_RAW"));
        assertEquals(NET_RAW, Capability.parse("cap_net_raw"));
        assertEquals(NET_RAW, Capability.parse("Cap_Net_Raw"));
        assertEquals(NET_RAW, Capability.parse(" net_raw "));
        assertTrue(Capability.isAll("all") && Capability.isAll("ALL"));
        assertEquals("CAP_SYS_ADMIN", SYS_ADMIN.capName());
    }

    @Test
    void unknownNameIsNamedWithTheValidOnes() {
        String message = assertThrows(SpecException.class, () -> Capability.parse("SYS_ADMN")).getMessage();
        assertTrue(message.startsWith("unknown capability \"SYS_ADMN\": expected ALL or one of CHOWN, DAC_OVERRIDE"), message);
        assertTrue(message.contains("CHECKPOINT_RESTORE"), message);
        assertTrue(assertThrows(SpecException.class, () -> Capability.parse("CAP_ALL")).getMessage().contains("\"CAP_ALL\""));
        assertTrue(assertThrows(SpecException.class, () -> Capability.parse("a\nb")).getMessage().contains("\"a\\u000ab\""));
    }

    @Test
    void defaultsAreDockers() {
        Capabilities caps = Capabilities.resolve(List.of(), List.of(), true, LAST);
        assertEquals(Capability.DOCKER_DEFAULT, Capability.ofMask(caps.bounding()));
        assertEquals(14, Capability.DOCKER_DEFAULT.size());
        assertEquals(caps.bounding(), caps.effective());
        assertEquals(caps.bounding(), caps.permitted());
        assertEquals(0, caps.inheritable());
        assertEquals(0x00000000a80425fbL, caps.bounding(), "Docker's CapBnd");
    }

    @Test
    void addAndDropFollowDocker() {
        assertEquals(without(Capability.DOCKER_DEFAULT, NET_RAW), bounding(List.of(), List.of("NET_RAW")));
        assertEquals(with(Capability.DOCKER_DEFAULT, SYS_ADMIN), bounding(List.of("cap_sys_admin"), List.of()));
        assertEquals(EnumSet.allOf(Capability.class), bounding(List.of("ALL"), List.of()));
        assertEquals(without(EnumSet.allOf(Capability.class), SYS_ADMIN), bounding(List.of("all"), List.of("SYS_ADMIN")));
        assertEquals(EnumSet.of(CHOWN), bounding(List.of("CHOWN"), List.of("ALL")));
        assertEquals(EnumSet.noneOf(Capability.class), bounding(List.of(), List.of("ALL")));
        assertEquals(EnumSet.allOf(Capability.class), bounding(List.of("ALL"), List.of("ALL")), "--cap-add ALL wins, as in Docker");
        assertEquals(Capability.DOCKER_DEFAULT, bounding(List.of("AUDIT_WRITE"), List.of("AUDIT_WRITE")), "adding wins");
        assertTrue(bounding(List.of(), List.of("AUDIT_WRITE")).stream().noneMatch(AUDIT_WRITE::equals));
    }

    @Test
    void nonRootGetsNoEffectiveCapabilities() {
        Capabilities caps = Capabilities.resolve(List.of("SYS_ADMIN"), List.of(), false, LAST);
        assertTrue(Capability.ofMask(caps.bounding()).contains(SYS_ADMIN));
        assertEquals(0, caps.effective());
        assertEquals(0, caps.permitted());
        assertEquals(0, caps.inheritable());
    }

    @Test
    void lastCapBoundsDropsAndGrants() {
        Capabilities older = Capabilities.resolve(List.of("ALL"), List.of(), true, 37);
        assertEquals((1L << 38) - 1, older.bounding(), "PERFMON, BPF, CHECKPOINT_RESTORE do not exist on this kernel");
        assertEquals(List.of(), older.boundingDrops());
        Capabilities defaults = Capabilities.dockerDefault(LAST);
        assertEquals(41 - 14, defaults.boundingDrops().size());
        assertTrue(defaults.boundingDrops().contains(SYS_ADMIN.number()) && !defaults.boundingDrops().contains(CHOWN.number()));
        assertEquals(~defaults.bounding() & ((1L << 41) - 1), defaults.boundingDropMask());
        List<Integer> newerKernel = Capabilities.dockerDefault(43).boundingDrops();
        assertEquals(List.of(41, 42, 43), newerKernel.subList(newerKernel.size() - 3, newerKernel.size()),
                "capabilities newer than jbox are dropped by number");
        String message = assertThrows(SpecException.class,
                () -> Capabilities.resolve(List.of("CHECKPOINT_RESTORE"), List.of(), true, 39)).getMessage();
        assertTrue(message.contains("--cap-add CHECKPOINT_RESTORE: the running kernel does not have this capability"), message);
        Capabilities.resolve(List.of(), List.of("CHECKPOINT_RESTORE"), true, 39);   // dropping what is not there is fine
    }

    @Test
    void readsTheRunningKernelsLastCap() throws IOException {
        Path file = Path.of("/proc/sys/kernel/cap_last_cap");
        assumeTrue(Files.isReadable(file), "needs /proc/sys/kernel/cap_last_cap");
        String text;
        try (var in = Files.newInputStream(file)) {
            text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).strip();
        }
        assertEquals(Integer.parseInt(text), Capabilities.lastCapOfRunningKernel());
        assertTrue(Capabilities.lastCapOfRunningKernel() >= 40, "jbox's floor, Linux 5.11, has CAP_CHECKPOINT_RESTORE (40)");
    }

    @Test
    void describesForDryRun() {
        assertEquals("bounding=CHOWN,DAC_OVERRIDE,FOWNER,FSETID,KILL,SETGID,SETUID,SETPCAP,NET_BIND_SERVICE,NET_RAW,"
                + "SYS_CHROOT,MKNOD,AUDIT_WRITE,SETFCAP (all effective)", Capabilities.dockerDefault(LAST).describe());
        assertEquals("bounding=none (none effective)", Capabilities.resolve(List.of(), List.of("ALL"), false, LAST).describe());
    }

    private static EnumSet<Capability> bounding(List<String> add, List<String> drop) {
        return EnumSet.copyOf(with(Capability.ofMask(Capabilities.resolve(add, drop, true, LAST).bounding())));
    }

    private static EnumSet<Capability> with(java.util.Set<Capability> set, Capability... more) {
        EnumSet<Capability> copy = EnumSet.noneOf(Capability.class);
        copy.addAll(set);
        copy.addAll(List.of(more));
        return copy;
    }

    private static EnumSet<Capability> without(java.util.Set<Capability> set, Capability c) {
        EnumSet<Capability> copy = with(set);
        copy.remove(c);
        return copy;
    }
}
