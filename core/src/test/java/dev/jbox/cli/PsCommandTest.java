package dev.jbox.cli;

import dev.jbox.spec.SandboxSpec;
import dev.jbox.spi.ExitStatus;
import dev.jbox.state.SandboxState;
import dev.jbox.state.SandboxState.Status;
import dev.jbox.state.SandboxView;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The ps table's wording, without processes: the views are built by hand. */
class PsCommandTest {
    static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

    static SandboxView view(SandboxState s, Status now, boolean monitor) {
        return new SandboxView(s, now, monitor, Path.of("/run/jbox", s.id()));
    }

    static SandboxState started(String name) {
        return SandboxState.of("0123456789ab", SandboxSpec.builder().command("sh", "-c", "x".repeat(60)).name(name).build(), T0)
                .running(4242, 99, T0.plusSeconds(1));
    }

    @Test
    void statusWording() {
        Instant now = T0.plusSeconds(125);
        SandboxState running = started("web");
        assertEquals("Up 2 minutes", PsCommand.status(view(running, Status.RUNNING, true), now));
        assertEquals("Up 2 minutes (monitor gone)", PsCommand.status(view(running, Status.RUNNING, false), now));
        assertEquals("Exiting", PsCommand.status(view(running, Status.EXITED, true), now));
        assertEquals("Exited (unknown: monitor gone)", PsCommand.status(view(running, Status.EXITED, false), now));
        SandboxState done = running.exited(ExitStatus.killed(9, false), T0.plusSeconds(120));
        assertEquals("Exited (137) 5 seconds ago", PsCommand.status(view(done, Status.EXITED, false), now));
        assertEquals("1 second", PsCommand.span(Duration.ofMillis(1500)));
        assertEquals("3 hours", PsCommand.span(Duration.ofHours(3).plusMinutes(59)));
        assertEquals("2 days ago", PsCommand.ago(Duration.ofDays(2)));
        assertEquals("just now", PsCommand.ago(Duration.ofMillis(200)));
    }

    @Test
    void tableAlignsColumnsAndShortensCommands() {
        String table = new PsCommand().table(List.of(view(started(null), Status.RUNNING, true)), T0.plusSeconds(3));
        assertEquals("""
                ID            NAME  STATUS        CREATED        COMMAND
                0123456789ab  -     Up 2 seconds  3 seconds ago  sh -c xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…
                """, table);
        assertEquals(40, table.lines().toList().get(1).substring(table.indexOf("COMMAND")).length(), "commands are cut at 40 characters");
    }
}
