package dev.jbox.spec;

import java.nio.file.Path;
import java.util.Set;

/** Seccomp policy and capability adjustments. */
public record SecuritySpec(Seccomp seccomp, Set<String> capAdd, Set<String> capDrop) {
    public static final SecuritySpec DEFAULT = new SecuritySpec(Seccomp.DEFAULT, Set.of(), Set.of());

    public SecuritySpec {
        capAdd = Set.copyOf(capAdd);
        capDrop = Set.copyOf(capDrop);
    }

    /** {@code --seccomp=default|unconfined|FILE}. */
    public sealed interface Seccomp {
        record Default() implements Seccomp {}
        record Unconfined() implements Seccomp {}
        record ProfileFile(Path path) implements Seccomp {}

        Seccomp DEFAULT = new Default();
        Seccomp UNCONFINED = new Unconfined();

        static Seccomp parse(String value) {
            return switch (value) {
                case "default" -> DEFAULT;
                case "unconfined" -> UNCONFINED;
                default -> new ProfileFile(Path.of(value).toAbsolutePath());
            };
        }
    }
}
