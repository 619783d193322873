package dev.jbox.state;

import dev.jbox.JboxException;
import dev.jbox.linux.Linux;
import dev.jbox.spec.SandboxSpec;
import dev.jbox.spi.ExitStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;

class StateStoreTest {
    @TempDir Path runtime;

    static SandboxState record(String id, String name) {
        return SandboxState.of(id, SandboxSpec.builder().command("sh", "-c", "echo \"hi\"").name(name).build(), Instant.now());
    }

    static String id(int n) {
        return String.format("%012x", n);
    }

    @Test
    void createsAPrivateDirectory() throws Exception {
        StateStore store = StateStore.open(runtime.resolve("jbox"), Linux.getuid());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.root())));
        store.create(record(id(1), "a"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.dir(id(1)))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.log(id(1)))));
    }

    @Test
    void refusesADirectoryOthersCouldChange() throws Exception {
        Path dir = Files.createDirectory(runtime.resolve("jbox"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        JboxException open = assertThrows(JboxException.class, () -> StateStore.open(dir, Linux.getuid()));
        assertEquals("state directory " + dir + " is writable by others (rwxrwxrwx) (chmod 700 " + dir + ")", open.userMessage());
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        int someoneElse = Linux.getuid() + 1;
        assertTrue(assertThrows(JboxException.class, () -> StateStore.open(dir, someoneElse)).getMessage()
                .contains("belongs to uid " + Linux.getuid() + ", not to you (uid " + someoneElse + ")"));
        Path link = Files.createSymbolicLink(runtime.resolve("link"), dir);
        assertTrue(assertThrows(JboxException.class, () -> StateStore.open(link, Linux.getuid())).getMessage().contains("is a symbolic link"));
        assertTrue(assertThrows(JboxException.class, () -> StateStore.open(runtime.resolve("no/such"), Linux.getuid())).getMessage()
                .contains("its parent does not exist"));
    }

    @Test
    void recordsRoundTripAndNamesAreUnique() {
        StateStore store = StateStore.open(runtime.resolve("jbox"), Linux.getuid());
        SandboxState a = record(id(1), "web");
        store.create(a);
        assertEquals(a, store.get(a.id()).orElseThrow());
        JboxException dup = assertThrows(JboxException.class, () -> store.create(record(id(2), "web")));
        assertEquals("the name web is already in use by sandbox " + id(1) + " (remove that one with jbox rm web, or choose another --name)", dup.userMessage());
        SandboxState done = store.update(a.id(), s -> s.running(77, 88, Instant.now())).orElseThrow()
                .exited(ExitStatus.exited(3), Instant.now());
        store.update(a.id(), s -> done);
        assertEquals(done, store.get(a.id()).orElseThrow());
        assertTrue(store.remove(a.id()));
        assertFalse(store.remove(a.id()));
        assertTrue(store.update(a.id(), s -> s.exited(ExitStatus.exited(0), Instant.now())).isEmpty(), "a removed record is not recreated");
        store.create(record(id(3), "web"));  // the name is free again
    }

    @Test
    void damagedRecordsAreSkippedNotFatal() throws Exception {
        StateStore store = StateStore.open(runtime.resolve("jbox"), Linux.getuid());
        store.create(record(id(1), "ok"));
        Files.createDirectory(store.dir(id(2)));
        Files.writeString(store.dir(id(2)).resolve("state.json"), "{\"id\": \"" + id(2) + "\", \"status\": ");
        Files.createDirectory(store.root().resolve("not-a-sandbox"));
        assertEquals(List.of(id(1)), store.list().stream().map(SandboxState::id).toList());
        assertTrue(store.remove(id(2)), "jbox rm still removes it");
    }

    /** Threads of one JVM create, update, list and remove at once: every listing parses, nothing is lost. */
    @Test
    void concurrentChangesStayWhole() throws Exception {
        StateStore store = StateStore.open(runtime.resolve("jbox"), Linux.getuid());
        int threads = 6, each = 15;
        List<Future<?>> work = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads + 1)) {
            for (int t = 0; t < threads; t++) {
                int base = t * 100;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        int n = base + i;
                        String id = id(n);
                        store.create(record(id, "n" + n));
                        store.update(id, s -> s.running(n + 1, 5, Instant.now()));
                        if (i % 2 == 0) store.remove(id);
                    }
                }));
            }
            work.add(pool.submit(() -> {
                for (int i = 0; i < 50; i++) store.list().forEach(s -> assertEquals(3, s.command().size()));
            }));
            for (Future<?> f : work) f.get();
        }
        Set<String> left = new HashSet<>(store.list().stream().map(SandboxState::id).toList());
        assertEquals(threads * (each / 2), left.size());
        for (String id : left) assertEquals(SandboxState.Status.RUNNING, store.get(id).orElseThrow().status());
    }
}
