package dev.jbox.security;

import dev.jbox.JboxException;
import dev.jbox.linux.Arch;
import dev.jbox.linux.Capabilities;
import dev.jbox.linux.Capability;
import dev.jbox.linux.seccomp.KernelVersion;
import dev.jbox.linux.seccomp.OciProfileParser;
import dev.jbox.linux.seccomp.ProfileEntry;
import dev.jbox.linux.seccomp.SeccompFilter;
import dev.jbox.spec.SpecException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Profiles and capability names from a hostile source: whatever comes in, jbox either accepts it
 * or rejects it with a SpecException/JboxException carrying a one-line message; never another
 * exception, never a stack trace for the user.
 */
class HostileInputPropertyTest {
    private static final ProfileEntry.Sandbox SANDBOX =
            new ProfileEntry.Sandbox(Arch.X86_64, Capabilities.dockerDefault(40).boundingNames(), new KernelVersion(6, 1));

    /** A valid profile that the mutations below start from. */
    private static final String VALID = """
            {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1,
             "archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86"]}],
             "syscalls": [
               {"names": ["rt_sigprocmask", "write", "read", "close_range", "rt_sigaction", "execve", "exit_group"], "action": "SCMP_ACT_ALLOW"},
               {"names": ["clone"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 2114060288, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}],
                "excludes": {"caps": ["CAP_SYS_ADMIN"]}, "includes": {"minKernel": "4.8", "arches": ["amd64"]}},
               {"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38}]}""";

    /** Compiles {@code json} as jbox would; returns normally or throws only the two user-error types. */
    private static void compileOrReject(byte[] json) {
        try {
            SeccompFilter.compile(OciProfileParser.parse("hostile.json", json), SANDBOX);
        } catch (SpecException | JboxException e) {
            String message = e.getMessage();
            assertTrue(message != null && !message.isBlank(), "empty message");
            assertTrue(message.startsWith("hostile.json"), "the message names the file: " + message);
            assertEquals(1, message.lines().count(), "one line: " + message);
        } catch (Throwable t) {
            fail("unexpected " + t.getClass().getName() + " for input " + new String(json, StandardCharsets.UTF_8), t);
        }
    }

    @Property(tries = 300)
    void anyStringIsParsedOrRejected(@ForAll String text) {
        compileOrReject(text.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 200)
    void anyBytesAreParsedOrRejected(@ForAll byte[] bytes) {
        compileOrReject(bytes);
    }

    @Property(tries = 500)
    void mutatedProfilesAreParsedOrRejected(@ForAll("mutations") String json) {
        compileOrReject(json.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 300)
    void generatedJsonDocumentsAreParsedOrRejected(@ForAll("profiles") String json) {
        compileOrReject(json.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 30)
    void deepNestingIsRejected(@ForAll @IntRange(min = 33, max = 200_000) int depth, @ForAll boolean objects) {
        String open = objects ? "{\"a\":" : "[", close = objects ? "}" : "]";
        String json = "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"x\": " + open.repeat(depth) + "1" + close.repeat(depth) + "}";
        compileOrReject(json.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 200)
    void capabilityWordsAreParsedOrRejected(@ForAll("capabilityWords") String word) {
        try {
            Capability c = Capability.parse(word);
            assertTrue(word.strip().toUpperCase(java.util.Locale.ROOT).endsWith(c.name()));
        } catch (SpecException e) {
            assertTrue(e.getMessage().startsWith("unknown capability \""), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertTrue(e.getMessage().length() < 1000, "a hostile word is shortened in the message: " + e.getMessage().length());
        }
    }

    @Property(tries = 200)
    void capabilityListsResolveOrAreRejected(@ForAll("capabilityLists") List<String> add, @ForAll("capabilityLists") List<String> drop,
                                             @ForAll boolean root, @ForAll @IntRange(min = 30, max = 63) int lastCap) {
        try {
            Capabilities caps = Capabilities.resolve(add, drop, root, lastCap);
            assertEquals(0, caps.bounding() & ~((lastCap == 63) ? -1L : (1L << (lastCap + 1)) - 1), "nothing beyond cap_last_cap");
            assertTrue(root || caps.effective() == 0);
        } catch (SpecException e) {
            assertTrue(e.getMessage().startsWith("unknown capability") || e.getMessage().startsWith("--cap-add"), e.getMessage());
        }
    }

    @Provide
    Arbitrary<String> capabilityWords() {
        Arbitrary<String> names = Arbitraries.of(Capability.values()).map(Enum::name);
        return Arbitraries.oneOf(
                Arbitraries.strings(),
                Arbitraries.strings().ofMinLength(1000).ofMaxLength(5000),
                names,
                names.map(n -> "cap_" + n.toLowerCase(java.util.Locale.ROOT)),
                names.map(n -> n + "X"),
                Arbitraries.of("ALL", "all", "CAP_", "", " ", "CAP_ALL", "\u0000", "ＣＨＯＷＮ", "chown\n"));
    }

    @Provide
    Arbitrary<List<String>> capabilityLists() {
        return capabilityWords().list().ofMaxSize(5);
    }

    /** The valid profile with a few characters inserted, deleted or replaced by JSON-significant ones. */
    @Provide
    Arbitrary<String> mutations() {
        Arbitrary<String> pieces = Arbitraries.oneOf(Arbitraries.of("{", "}", "[", "]", ",", ":", "\"", "-1", "1e999", "null",
                        "18446744073709551616", "true", "\\u0000", "\"SCMP_ACT_KILL\"", "\"SCMP_CMP_EQ\"", "99999999999"),
                Arbitraries.strings().ofMaxLength(4));
        Arbitrary<Integer> positions = Arbitraries.integers().between(0, VALID.length());
        return net.jqwik.api.Combinators.combine(positions.list().ofMinSize(1).ofMaxSize(4),
                        Arbitraries.integers().between(0, 6).list().ofSize(4), pieces.list().ofSize(4))
                .as((ats, deletes, inserts) -> {
                    StringBuilder sb = new StringBuilder(VALID);
                    for (int i = 0; i < ats.size(); i++) {
                        int at = Math.min(ats.get(i), sb.length());
                        sb.delete(at, Math.min(sb.length(), at + deletes.get(i)));
                        sb.insert(at, inserts.get(i));
                    }
                    return sb.toString();
                });
    }

    /** JSON documents built from the profile vocabulary, with wrong types and extreme values in every place. */
    @Provide
    Arbitrary<String> profiles() {
        return value(4).map(v -> v.startsWith("{") ? v : "{\"defaultAction\": " + v + ", \"syscalls\": [" + v + "]}");
    }

    private Arbitrary<String> value(int depth) {
        Arbitrary<String> scalars = Arbitraries.oneOf(
                Arbitraries.of("SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_TRACE", "SCMP_ACT_LOG",
                        "SCMP_ACT_NOTIFY", "SCMP_CMP_EQ", "SCMP_CMP_MASKED_EQ", "SCMP_ARCH_X86_64", "SCMP_ARCH_X86",
                        "CAP_SYS_ADMIN", "amd64", "4.8", "read", "clone", "", "0.0").map(s -> "\"" + s + "\""),
                Arbitraries.of("0", "1", "5", "6", "-1", "4095", "4096", "65536", "1.5", "1e3", "null", "true",
                        "18446744073709551615", "18446744073709551616", "-9223372036854775809"),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.strings().ofMaxLength(10).map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\""));
        if (depth == 0) return scalars;
        Arbitrary<String> keys = Arbitraries.of("defaultAction", "defaultErrnoRet", "architectures", "archMap", "architecture",
                "subArchitectures", "flags", "syscalls", "names", "name", "action", "errnoRet", "args", "index", "value",
                "valueTwo", "op", "includes", "excludes", "caps", "arches", "minKernel", "comment");
        Arbitrary<String> member = net.jqwik.api.Combinators.combine(keys, value(depth - 1)).as((k, v) -> "\"" + k + "\": " + v);
        Arbitrary<String> object = member.list().ofMaxSize(6).uniqueElements(m -> m.substring(0, m.indexOf(':')))
                .map(ms -> "{" + String.join(", ", ms) + "}");
        Arbitrary<String> array = value(depth - 1).list().ofMaxSize(4).map(vs -> "[" + String.join(", ", vs) + "]");
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(2, scalars), net.jqwik.api.Tuple.of(3, object), net.jqwik.api.Tuple.of(2, array));
    }
}
