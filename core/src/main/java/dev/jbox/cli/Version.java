package dev.jbox.cli;

import picocli.CommandLine;

/** The version from the jar's manifest (development builds say so). */
final class Version implements CommandLine.IVersionProvider {
    static String get() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-dev" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"jbox " + get()};
    }
}
