package dev.jbox.launch;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Parsers of host files: /etc/subuid, and the user-namespace sysctls. */
class HostFilesTest {
    @Test
    void subordinateRangeByNameOrUid() {
        List<String> lines = List.of("# comment", "bob:200000:65536", "alice:100000:65536", "1001:300000:1000");
        assertEquals(new IdMapper.SubordinateRange(100000, 65536), IdMapper.parse(lines, "alice", 1000));
        assertEquals(new IdMapper.SubordinateRange(300000, 1000), IdMapper.parse(lines, "carol", 1001));
        assertNull(IdMapper.parse(lines, "dave", 7));
        assertNull(IdMapper.parse(List.of("dave:x:y"), "dave", 7));
    }

    @Test
    void userNamespaceDiagnosisNamesTheSysctl() {
        assertNull(UserNamespaceDiagnosis.problem(Map.of("user/max_user_namespaces", "100")::get));
        assertTrue(UserNamespaceDiagnosis.problem(Map.of("kernel/unprivileged_userns_clone", "0")::get)
                .contains("kernel.unprivileged_userns_clone"));
        assertTrue(UserNamespaceDiagnosis.problem(Map.of("user/max_user_namespaces", "0")::get)
                .contains("user.max_user_namespaces"));
        assertTrue(UserNamespaceDiagnosis.problem(Map.of("kernel/apparmor_restrict_unprivileged_userns", "1")::get)
                .contains("AppArmor"));
    }

    @Test
    void execErrorsMapToPodmansExitCodes() {
        assertEquals(127, ExecFailure.of("x", 2).exitCode());
        assertEquals(126, ExecFailure.of("x", 13).exitCode());
        assertEquals(126, ExecFailure.of("x", 8).exitCode());
        assertTrue(ExecFailure.of("x", 2).getMessage().contains("ENOENT"));
    }
}
