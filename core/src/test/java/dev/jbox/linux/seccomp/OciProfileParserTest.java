package dev.jbox.linux.seccomp;

import dev.jbox.JboxException;
import dev.jbox.linux.Arch;
import dev.jbox.linux.Capabilities;
import dev.jbox.spec.SpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.jbox.linux.seccomp.FilterHarness.ALLOW;
import static dev.jbox.linux.seccomp.FilterHarness.EPERM;
import static dev.jbox.linux.seccomp.FilterHarness.KILL_PROCESS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OciProfileParserTest {
    /** What a workload run by jbox needs at least: the chain's own calls plus a few. */
    static final String CHAIN_CALLS = "\"rt_sigprocmask\", \"write\", \"read\", \"close_range\", \"rt_sigaction\", \"execve\", \"exit_group\"";

    @TempDir
    Path dir;

    static SeccompProfile parse(String json) {
        return OciProfileParser.parse("p.json", json.getBytes(StandardCharsets.UTF_8));
    }

    static FilterHarness compile(String json, Arch arch, List<String> capAdd) {
        Capabilities caps = Capabilities.resolve(capAdd, List.of(), true, 40);
        return new FilterHarness(SeccompFilter.compile(parse(json), FilterHarness.sandbox(arch, caps)));
    }

    static FilterHarness compile(String json) {
        return compile(json, Arch.X86_64, List.of());
    }

    /** The message of the SpecException parsing {@code json} throws. */
    static String error(String json) {
        return assertThrows(SpecException.class, () -> compile(json)).getMessage();
    }

    @Test
    void denyListProfile() {
        FilterHarness f = compile("""
                {"defaultAction": "SCMP_ACT_ALLOW",
                 "syscalls": [{"names": ["keyctl", "add_key"], "action": "SCMP_ACT_ERRNO"},
                              {"names": ["ptrace"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13},
                              {"names": ["reboot"], "action": "SCMP_ACT_KILL_PROCESS"}]}""");
        assertEquals(ALLOW, f.call(Abi.X86_64, "read"));
        assertEquals(EPERM, f.call(Abi.X86_64, "keyctl"));
        assertEquals(EPERM, f.call(Abi.X86_64, "add_key"));
        assertEquals(new Action.Errno(13).ret(), f.call(Abi.X86_64, "ptrace"));
        assertEquals(KILL_PROCESS, f.call(Abi.X86_64, "reboot"));
        assertEquals(ALLOW, f.bpf.run(Abi.X86_64.auditArch, 1000), "unknown numbers follow an allowing default");
        assertEquals(KILL_PROCESS, f.call(Abi.I386, "read"), "no architectures given: native only, as libseccomp");
    }

    @Test
    void dockerShapedProfile() {
        String json = """
                {
                  "defaultAction": "SCMP_ACT_ERRNO",
                  "defaultErrnoRet": 1,
                  "archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]},
                              {"architecture": "SCMP_ARCH_AARCH64", "subArchitectures": ["SCMP_ARCH_ARM"]}],
                  "someFutureField": {"ignored": true},
                  "syscalls": [
                    {"names": [%s, "mmap", "not_a_syscall", "s390_runtime_instr"], "action": "SCMP_ACT_ALLOW", "comment": "basics"},
                    {"name": "getpid", "action": "SCMP_ACT_ALLOW"},
                    {"names": ["mount"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN"]}},
                    {"names": ["clone"], "action": "SCMP_ACT_ALLOW",
                     "args": [{"index": 0, "value": 2114060288, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}],
                     "excludes": {"caps": ["CAP_SYS_ADMIN"], "arches": ["s390x"]}},
                    {"names": ["clone"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["sys_admin"]}},
                    {"names": ["arch_prctl"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["amd64", "x32"]}},
                    {"names": ["ptrace"], "action": "SCMP_ACT_ALLOW", "includes": {"minKernel": "4.8"}},
                    {"names": ["kcmp"], "action": "SCMP_ACT_ALLOW", "includes": {"minKernel": "99.0"}},
                    {"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38, "excludes": {"caps": ["CAP_SYS_ADMIN"]}}
                  ]
                }""".formatted(CHAIN_CALLS);
        FilterHarness plain = compile(json);
        assertEquals(List.of("not_a_syscall", "s390_runtime_instr"), parse(json).unknownNames(), "ignored, but listed for a warning");
        assertEquals(ALLOW, plain.call(Abi.X86_64, "getpid"), "old single-name form");
        assertEquals(EPERM, plain.call(Abi.X86_64, "mount"));
        assertEquals(ALLOW, plain.call(Abi.X86_64, "clone", 17));
        assertEquals(EPERM, plain.call(Abi.X86_64, "clone", 0x10000000));
        assertEquals(ALLOW, plain.call(Abi.X86_64, "arch_prctl"));
        assertEquals(ALLOW, plain.call(Abi.X86_64, "ptrace"));
        assertEquals(EPERM, plain.call(Abi.X86_64, "kcmp"), "minKernel 99.0 is not met by 6.1");
        assertEquals(FilterHarness.ENOSYS, plain.call(Abi.X86_64, "clone3"));
        assertEquals(ALLOW, plain.call(Abi.I386, "mmap"), "sub-architectures from archMap");
        assertEquals(ALLOW, plain.call(Abi.X32, "mmap"));

        FilterHarness admin = compile(json, Arch.X86_64, List.of("SYS_ADMIN"));
        assertEquals(ALLOW, admin.call(Abi.X86_64, "mount"));
        assertEquals(ALLOW, admin.call(Abi.X86_64, "clone", 0x10000000));
        assertEquals(EPERM, admin.call(Abi.X86_64, "clone3"), "the ENOSYS entry is excluded with CAP_SYS_ADMIN");

        FilterHarness arm = compile(json, Arch.AARCH64, List.of());
        assertEquals(EPERM, arm.call(Abi.AARCH64, "getrandom"));
        assertEquals(ALLOW, arm.call(Abi.AARCH64, "mmap"));
    }

    @Test
    void ociArchitecturesListChoosesCompatAbis() {
        String json = """
                {"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
                 "flags": ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"],
                 "syscalls": [{"names": [%s], "action": "SCMP_ACT_ALLOW"}]}""".formatted(CHAIN_CALLS);
        FilterHarness f = compile(json);
        assertEquals(ALLOW, f.call(Abi.I386, "read"));
        assertEquals(KILL_PROCESS, f.call(Abi.X32, "read"), "x32 was not listed");
        assertEquals(SeccompPolicy.FLAG_LOG | SeccompPolicy.FLAG_SPEC_ALLOW, f.filter.flags());
    }

    @Test
    void repeatedArgumentIndexMeansAlternativesAsInRunc() {
        String json = """
                {"defaultAction": "SCMP_ACT_ALLOW",
                 "syscalls": [{"names": ["personality"], "action": "SCMP_ACT_ERRNO",
                               "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}, {"index": 0, "value": 2, "op": "SCMP_CMP_EQ"}]},
                              {"names": ["socket"], "action": "SCMP_ACT_ERRNO",
                               "args": [{"index": 0, "value": 2, "op": "SCMP_CMP_EQ"}, {"index": 1, "value": 3, "op": "SCMP_CMP_EQ"}]}]}""";
        FilterHarness f = compile(json);
        assertEquals(EPERM, f.call(Abi.X86_64, "personality", 1));
        assertEquals(EPERM, f.call(Abi.X86_64, "personality", 2));
        assertEquals(ALLOW, f.call(Abi.X86_64, "personality", 3));
        assertEquals(EPERM, f.call(Abi.X86_64, "socket", 2, 3), "different indexes: all must hold");
        assertEquals(ALLOW, f.call(Abi.X86_64, "socket", 2, 1));
    }

    @Test
    void fullRangeUnsignedValues() {
        FilterHarness f = compile("""
                {"defaultAction": "SCMP_ACT_ALLOW",
                 "syscalls": [{"names": ["lseek"], "action": "SCMP_ACT_ERRNO",
                               "args": [{"index": 1, "value": 18446744073709551615, "op": "SCMP_CMP_EQ"}]}]}""");
        assertEquals(EPERM, f.call(Abi.X86_64, "lseek", 0, -1L));
        assertEquals(ALLOW, f.call(Abi.X86_64, "lseek", 0, 0xFFFFFFFFL));
    }

    @Test
    void refusesProfilesThatBreakTheLaunchChain() {
        String message = error("""
                {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"}]}""");
        assertTrue(message.startsWith("p.json does not allow rt_sigprocmask, close_range, rt_sigaction, execve, exit_group"), message);
    }

    @Test
    void reportsConflictingRulesWithBothOrigins() {
        String message = error("""
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
                  {"names": ["keyctl"], "action": "SCMP_ACT_ERRNO"},
                  {"names": ["keyctl"], "action": "SCMP_ACT_KILL"}]}""");
        assertTrue(message.contains("keyctl") && message.contains("p.json: syscalls[0]") && message.contains("p.json: syscalls[1]"), message);
    }

    @Test
    void errorsNameTheFileThePathAndTheProblem() {
        assertError("{\"defaultAction\": \"SCMP_ACT_ALLOW\",\n  \"syscalls\": [ }", "p.json: line 2, column 17: invalid JSON: Unexpected close marker '}': expected ']' (for Array starting at line 2, column 15)");
        assertError("{\"defaultAction\": \"SCMP_ACT_ALOW\"}", "p.json: defaultAction: unknown action \"SCMP_ACT_ALOW\"");
        assertError("""
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ERRNOO"}]}""",
                "p.json: syscalls[0].action: unknown action \"SCMP_ACT_ERRNOO\"");
        assertError("{\"syscalls\": []}", "p.json: defaultAction: missing");
        assertError("[]", "p.json: expected an object, found an array");
        assertError("", "p.json: expected an object, found nothing");
        assertError("{\"defaultAction\": \"SCMP_ACT_ALLOW\"} {}", "p.json: line 1, column 37: invalid JSON: more content after the profile's closing brace");
        assertError("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"defaultAction\": \"SCMP_ACT_ERRNO\"}", "invalid JSON: Duplicate field 'defaultAction'");
        assertError("{\"defaultAction\": 1}", "p.json: defaultAction: expected a string, found the number \"1\"");
        assertError("{\"defaultAction\": \"SCMP_ACT_NOTIFY\"}", "p.json: defaultAction: SCMP_ACT_NOTIFY needs a seccomp agent");
        assertError("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"defaultErrnoRet\": 1}", "p.json: defaultErrnoRet: given for SCMP_ACT_ALLOW");
        assertError("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 5000}", "p.json: defaultErrnoRet: 5000 is out of range (0..4095)");
        assertError("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": -1}", "defaultErrnoRet: -1 is out of range");
        assertError("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1.5}", "defaultErrnoRet: expected an unsigned integer, found the number \"1.5\"");
        assertError("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_X86_46\"]}",
                "p.json: architectures[0]: unknown architecture \"SCMP_ARCH_X86_46\"");
        assertError("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_X86\"], "
                + "\"archMap\": [{\"architecture\": \"SCMP_ARCH_X86_64\"}]}", "p.json: both architectures and archMap");
        assertError("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": [\"SECCOMP_FILTER_FLAG_NEW_LISTENER\"]}",
                "p.json: flags[0]: unsupported flag");
        assertError("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": {}}", "p.json: syscalls: expected an array, found an object");
        assertError(syscall("\"name\": \"read\", \"names\": [\"write\"]"), "p.json: syscalls[0]: both name and names");
        assertError(syscall("\"names\": [\"\"]"), "p.json: syscalls[0].names[0]: an empty string is not a syscall name");
        assertError(syscall("\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"errnoRet\": 1"), "p.json: syscalls[0].errnoRet: given for SCMP_ACT_ALLOW");
        assertError(syscall("\"names\": [\"read\"], \"args\": [{\"index\": 6, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]"),
                "p.json: syscalls[0].args[0].index: 6 is out of range (0..5)");
        assertError(syscall("\"names\": [\"read\"], \"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQUAL\"}]"),
                "p.json: syscalls[0].args[0].op: unknown operator \"SCMP_CMP_EQUAL\"");
        assertError(syscall("\"names\": [\"read\"], \"args\": [{\"index\": 0, \"value\": 18446744073709551616, \"op\": \"SCMP_CMP_EQ\"}]"),
                "p.json: syscalls[0].args[0].value: 18446744073709551616 is out of range");
        assertError(syscall("\"names\": [\"read\"], \"args\": [{\"index\": 0, \"op\": \"SCMP_CMP_EQ\"}]"), "p.json: syscalls[0].args[0].value: missing");
        assertError(syscall("\"names\": [\"read\"], \"includes\": {\"minKernel\": \"4\"}"), "p.json: syscalls[0].includes.minKernel: invalid kernel version \"4\"");
        assertError(syscall("\"names\": [\"read\"], \"includes\": {\"minKernel\": \"0.0\"}"), "invalid kernel version \"0.0\"");
        assertError("[".repeat(100) + "]".repeat(100), "invalid JSON: Document nesting depth (33) exceeds the maximum allowed (32");
        assertError("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"x\": " + "9".repeat(500) + "}", "invalid JSON: Number value length (");
    }

    private static String syscall(String fields) {
        String withAction = fields.contains("\"action\"") ? fields : fields + ", \"action\": \"SCMP_ACT_ERRNO\"";
        return "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{" + withAction + "}]}";
    }

    private static void assertError(String json, String expectedStart) {
        String message = error(json);
        assertTrue(message.contains(expectedStart), "expected \"" + expectedStart + "\" in: " + message);
        assertTrue(message.lines().count() == 1 && message.length() < 600, "one short line: " + message);
    }

    @Test
    void readsFilesAndReportsUnreadableOnes() throws IOException {
        Path good = dir.resolve("good.json");
        Files.writeString(good, "{\"defaultAction\": \"SCMP_ACT_ALLOW\"}");
        assertEquals(Action.ALLOW, OciProfileParser.parse(good).defaultAction());

        Path missing = dir.resolve("missing.json");
        JboxException e = assertThrows(JboxException.class, () -> OciProfileParser.parse(missing));
        assertEquals("reading seccomp profile " + missing + ": no such file", e.getMessage());
        assertTrue(e.userMessage().contains("--seccomp=default|unconfined"));

        JboxException d = assertThrows(JboxException.class, () -> OciProfileParser.parse(dir));
        assertTrue(d.getMessage().endsWith(": not a regular file"), d.getMessage());

        Path huge = dir.resolve("huge.json");
        Files.write(huge, new byte[OciProfileParser.MAX_BYTES + 1]);
        assertTrue(assertThrows(SpecException.class, () -> OciProfileParser.parse(huge)).getMessage().contains("larger than 4 MiB"));

        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"nope\"}]}");
        assertTrue(assertThrows(SpecException.class, () -> OciProfileParser.parse(bad)).getMessage()
                .startsWith(bad + ": syscalls[0].action: unknown action \"nope\""));
    }
}
