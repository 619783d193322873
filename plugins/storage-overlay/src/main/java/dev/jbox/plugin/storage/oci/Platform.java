package dev.jbox.plugin.storage.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The platform of one entry of an image index ({@code os}, {@code architecture}, optional {@code variant}). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Platform(String architecture, String os, String variant) {

    /** This machine, in OCI's spelling (GOARCH names). */
    public static Platform current() {
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> System.getProperty("os.arch");
        };
        return new Platform(arch, "linux", null);
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }
}
