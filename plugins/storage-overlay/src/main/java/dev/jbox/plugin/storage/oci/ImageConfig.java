package dev.jbox.plugin.storage.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jbox.spi.PreparedRoot.ImageDefaults;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The image configuration blob: the layers' uncompressed digests and the workload defaults. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImageConfig(String architecture, String os, String created, Config config, RootFs rootfs) {

    /** The part of {@code config} jbox applies (Docker's capitalised field names, as the spec keeps them). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Config(@JsonProperty("Env") List<String> env,
                         @JsonProperty("Entrypoint") List<String> entrypoint,
                         @JsonProperty("Cmd") List<String> cmd,
                         @JsonProperty("WorkingDir") String workingDir,
                         @JsonProperty("User") String user) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RootFs(String type, @JsonProperty("diff_ids") List<Digest> diffIds) {}

    public List<Digest> diffIds() {
        return rootfs == null || rootfs.diffIds() == null ? List.of() : rootfs.diffIds();
    }

    /** The defaults the core applies unless the user overrides them; {@code Env} entries split at the first '='. */
    public ImageDefaults defaults() {
        if (config == null) return ImageDefaults.NONE;
        Map<String, String> env = new LinkedHashMap<>();
        if (config.env() != null) {
            for (String entry : config.env()) {
                int eq = entry.indexOf('=');
                if (eq > 0) env.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return new ImageDefaults(orEmpty(config.entrypoint()), orEmpty(config.cmd()), env,
                blankToNull(config.workingDir()), blankToNull(config.user()));
    }

    private static List<String> orEmpty(List<String> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
