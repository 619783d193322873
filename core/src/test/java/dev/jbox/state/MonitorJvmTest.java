package dev.jbox.state;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class MonitorJvmTest {
    @Test
    void theMonitorSharesTheLaunchersAotCacheElseTheJdksArchive() {
        String before = System.getProperty(MonitorJvm.AOT_CACHE_PROPERTY);
        try {
            System.clearProperty(MonitorJvm.AOT_CACHE_PROPERTY);
            List<String> plain = MonitorJvm.command("M", List.of("a"));
            assertTrue(plain.contains("-Xshare:auto"), plain.toString());
            assertTrue(plain.stream().noneMatch(a -> a.startsWith("-XX:AOTCache")), plain.toString());

            System.setProperty(MonitorJvm.AOT_CACHE_PROPERTY, "/d/jbox-run.aot");
            List<String> cached = MonitorJvm.command("M", List.of("a"));
            assertTrue(cached.contains("-XX:AOTCache=/d/jbox-run.aot"), cached.toString());
            assertFalse(cached.contains("-Xshare:auto"), "the JVM refuses -Xshare with -XX:AOTCache");
            assertEquals(List.of("M", "a"), cached.subList(cached.size() - 2, cached.size()));
        } finally {
            if (before == null) System.clearProperty(MonitorJvm.AOT_CACHE_PROPERTY);
            else System.setProperty(MonitorJvm.AOT_CACHE_PROPERTY, before);
        }
    }
}
