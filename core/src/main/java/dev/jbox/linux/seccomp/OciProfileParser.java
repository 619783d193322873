package dev.jbox.linux.seccomp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.jbox.JboxException;
import dev.jbox.linux.Capability;
import dev.jbox.spec.Quote;
import dev.jbox.spec.SpecException;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads seccomp profiles in the OCI runtime-spec / Docker JSON format ({@code --seccomp=FILE}),
 * accepting what Docker accepts: {@code defaultAction}, {@code defaultErrnoRet},
 * {@code architectures} or {@code archMap}, {@code flags}, and {@code syscalls[]} with
 * {@code names} (or the older {@code name}), {@code action}, {@code errnoRet}, {@code args},
 * {@code includes}/{@code excludes} ({@code caps}, {@code arches}, {@code minKernel}).
 * Unknown syscall names and unknown fields are ignored, as Docker ignores them; anything that
 * changes what the filter does (an action, operator, flag or architecture jbox does not know, a
 * number out of range) is an error naming the file, the JSON path and the problem.
 */
public final class OciProfileParser {
    /** Docker's default profile is 20 KB; anything this large is not a seccomp profile. */
    static final int MAX_BYTES = 4 << 20;

    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(32).maxNumberLength(40).maxStringLength(1 << 16).build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** libseccomp's architecture names; the ones jbox has no tables for are accepted and unused. */
    private static final Set<String> SCMP_ARCHES = Set.of("SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32",
            "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32",
            "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64",
            "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390", "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64",
            "SCMP_ARCH_RISCV64", "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB");

    private static final Map<String, Integer> FLAGS = Map.of(
            "SECCOMP_FILTER_FLAG_TSYNC", SeccompPolicy.FLAG_TSYNC,
            "SECCOMP_FILTER_FLAG_LOG", SeccompPolicy.FLAG_LOG,
            "SECCOMP_FILTER_FLAG_SPEC_ALLOW", SeccompPolicy.FLAG_SPEC_ALLOW);

    private static final int EPERM = dev.jbox.linux.Errno.EPERM.number;

    private final String source;

    private OciProfileParser(String source) {
        this.source = source;
    }

    /**
     * Reads and parses {@code file}.
     *
     * @throws JboxException when the file cannot be read
     * @throws SpecException when its content is not a profile jbox can apply
     */
    public static SeccompProfile parse(Path file) {
        String what = "seccomp profile " + file;
        String hint = "pass a JSON seccomp profile, or --seccomp=default|unconfined";
        if (!Files.isRegularFile(file)) {
            throw new JboxException("reading " + what + ": " + (Files.exists(file) ? "not a regular file" : "no such file"), hint);
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw new JboxException("reading " + what + ": " + e.getClass().getSimpleName() + " " + firstLine(e.getMessage()), hint);
        }
        if (bytes.length > MAX_BYTES) throw new SpecException(what + ": larger than " + (MAX_BYTES >> 20) + " MiB, not a seccomp profile");
        return parse(file.toString(), bytes);
    }

    /** Parses profile text; {@code source} names it in messages. */
    public static SeccompProfile parse(String source, byte[] json) {
        return new OciProfileParser(source).profile(json);
    }

    private SeccompProfile profile(byte[] json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
            throw new SpecException(source + ": " + where + "invalid JSON: " + jsonProblem(e));
        } catch (IOException e) {
            throw new SpecException(source + ": invalid JSON: " + firstLine(e.getMessage()));
        }
        Node top = new Node(root, "");
        top.requireObject();
        Action defaultAction = action(top.field("defaultAction"), top.field("defaultErrnoRet"));
        Set<String> architectures = new LinkedHashSet<>();
        for (Node a : top.field("architectures").elements()) architectures.add(arch(a));
        Map<String, List<String>> archMap = archMap(top.field("archMap"));
        if (!architectures.isEmpty() && !archMap.isEmpty()) {
            throw top.error("both architectures and archMap are given: use one of them");
        }
        int flags = 0;
        for (Node f : top.field("flags").elements()) {
            Integer bit = FLAGS.get(f.string());
            if (bit == null) throw f.error("unsupported flag " + Quote.of(f.string()) + " (jbox accepts " + String.join(", ", FLAGS.keySet()) + ")");
            flags |= bit;
        }
        List<ProfileEntry> entries = new ArrayList<>();
        for (Node s : top.field("syscalls").elements()) entries.add(entry(s));
        return new SeccompProfile(source, defaultAction, architectures, archMap, entries, flags);
    }

    private Map<String, List<String>> archMap(Node list) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (Node group : list.elements()) {
            group.requireObject();
            String arch = arch(group.field("architecture"));
            List<String> subs = new ArrayList<>();
            for (Node sub : group.field("subArchitectures").elements()) subs.add(arch(sub));
            if (map.putIfAbsent(arch, subs) != null) throw group.error("architecture " + arch + " is mapped twice");
        }
        return map;
    }

    private String arch(Node node) {
        String name = node.string();
        if (!SCMP_ARCHES.contains(name)) throw node.error("unknown architecture " + Quote.of(name) + " (expected an SCMP_ARCH_* name such as SCMP_ARCH_X86_64)");
        return name;
    }

    private ProfileEntry entry(Node s) {
        s.requireObject();
        List<String> names = new ArrayList<>();
        Node name = s.field("name"), nameList = s.field("names");
        if (name.present() && nameList.present()) throw s.error("both name and names are given: use names");
        if (name.present()) names.add(syscallName(name));
        for (Node n : nameList.elements()) names.add(syscallName(n));
        Action action = action(s.field("action"), s.field("errnoRet"));
        List<ArgCondition> args = new ArrayList<>();
        for (Node a : s.field("args").elements()) args.add(condition(a));
        return new ProfileEntry(names, action, args, filter(s.field("includes")), filter(s.field("excludes")), source + ": " + s.path);
    }

    private static String syscallName(Node n) {
        String name = n.string();
        if (name.isEmpty()) throw n.error("an empty string is not a syscall name");
        return name;
    }

    /** An action name with its errno (SCMP_ACT_ERRNO) or tracer message (SCMP_ACT_TRACE), EPERM by default. */
    private static Action action(Node node, Node errnoRet) {
        if (!node.present()) throw node.error("missing (e.g. \"SCMP_ACT_ERRNO\")");
        String name = node.string();
        Action action = switch (name) {
            case "SCMP_ACT_ALLOW" -> Action.ALLOW;
            case "SCMP_ACT_ERRNO" -> new Action.Errno(errnoRet.optionalUnsigned(Action.Errno.MAX, EPERM));
            case "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD" -> new Action.KillThread();
            case "SCMP_ACT_KILL_PROCESS" -> Action.KILL_PROCESS;
            case "SCMP_ACT_TRAP" -> new Action.Trap();
            case "SCMP_ACT_TRACE" -> new Action.Trace(errnoRet.optionalUnsigned(0xFFFF, EPERM));
            case "SCMP_ACT_LOG" -> new Action.Log();
            case "SCMP_ACT_NOTIFY" -> throw node.error("SCMP_ACT_NOTIFY needs a seccomp agent, which jbox does not run");
            default -> throw node.error("unknown action " + Quote.of(name) + " (expected SCMP_ACT_ALLOW, SCMP_ACT_ERRNO,"
                    + " SCMP_ACT_KILL, SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD, SCMP_ACT_TRAP, SCMP_ACT_TRACE or SCMP_ACT_LOG)");
        };
        if (errnoRet.present() && !(action instanceof Action.Errno || action instanceof Action.Trace)) {
            throw errnoRet.error("given for " + name + ", which returns no errno (only SCMP_ACT_ERRNO and SCMP_ACT_TRACE do)");
        }
        return action;
    }

    private ArgCondition condition(Node a) {
        a.requireObject();
        Node index = a.field("index");
        if (!index.present()) throw index.error("missing (the argument number, 0..5)");
        int i = index.optionalUnsigned(ArgCondition.MAX_ARGS - 1, 0);
        Node opNode = a.field("op");
        if (!opNode.present()) throw opNode.error("missing (e.g. \"SCMP_CMP_EQ\")");
        String opName = opNode.string();
        ArgCondition.Op op = null;
        for (ArgCondition.Op o : ArgCondition.Op.values()) {
            if (o.ociName.equals(opName)) op = o;
        }
        if (op == null) throw opNode.error("unknown operator " + Quote.of(opName) + " (expected SCMP_CMP_NE, SCMP_CMP_LT,"
                + " SCMP_CMP_LE, SCMP_CMP_EQ, SCMP_CMP_GE, SCMP_CMP_GT or SCMP_CMP_MASKED_EQ)");
        Node value = a.field("value");
        if (!value.present()) throw value.error("missing");
        return new ArgCondition(i, op, value.unsigned64(), a.field("valueTwo").present() ? a.field("valueTwo").unsigned64() : 0);
    }

    private ProfileEntry.Filter filter(Node f) {
        if (!f.present()) return ProfileEntry.Filter.NONE;
        f.requireObject();
        Set<String> caps = new LinkedHashSet<>();
        for (Node c : f.field("caps").elements()) caps.add(capName(c.string()));
        Set<String> arches = new LinkedHashSet<>();
        for (Node a : f.field("arches").elements()) arches.add(a.string());
        Node minKernel = f.field("minKernel");
        return new ProfileEntry.Filter(caps, arches, minKernel.present() ? kernelVersion(minKernel) : null);
    }

    /** {@code CAP_X} for names jbox knows (any case, prefix optional); other names stay as given and never match. */
    private static String capName(String name) {
        try {
            return Capability.parse(name).capName();
        } catch (SpecException unknown) {
            return name;
        }
    }

    /** Docker's format: "major.minor", each 0..255, not 0.0. */
    private static KernelVersion kernelVersion(Node node) {
        String text = node.string();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,3})\\.(\\d{1,3})").matcher(text);
        if (m.matches()) {
            int major = Integer.parseInt(m.group(1)), minor = Integer.parseInt(m.group(2));
            if (major <= 255 && minor <= 255 && (major | minor) != 0) return new KernelVersion(major, minor);
        }
        throw node.error("invalid kernel version " + Quote.of(text) + ", expected \"<kernel>.<major>\" such as \"4.8\"");
    }

    /** Jackson's message in words for users: no Java class names or feature flags. */
    private static String jsonProblem(JsonProcessingException e) {
        String message = firstLine(e.getOriginalMessage());
        if (message.startsWith("Trailing token")) return "more content after the profile's closing brace";
        // Locations read "[Source: REDACTED (…); line: 2, column: 15]": keep line and column.
        return message.replaceAll("\\[Source: [^;\\]]*; line: (\\d+), column: (\\d+)]", "line $1, column $2");
    }

    private static String firstLine(String message) {
        if (message == null) return "unreadable";
        String line = message.lines().findFirst().orElse("").strip();
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    /** A JSON value with its path from the root, for messages: {@code syscalls[3].args[0].op}. */
    private final class Node {
        final JsonNode json;
        final String path;

        Node(JsonNode json, String path) {
            this.json = json;
            this.path = path;
        }

        boolean present() {
            return json != null && !json.isNull() && !json.isMissingNode();
        }

        Node field(String name) {
            return new Node(json == null ? null : json.get(name), path.isEmpty() ? name : path + "." + name);
        }

        /** Elements of an array; a missing or null value counts as empty, as in Go. */
        List<Node> elements() {
            if (!present()) return List.of();
            if (!json.isArray()) throw error("expected an array, found " + describe());
            List<Node> out = new ArrayList<>(json.size());
            for (int i = 0; i < json.size(); i++) out.add(new Node(json.get(i), path + "[" + i + "]"));
            return out;
        }

        void requireObject() {
            if (!present() || !json.isObject()) throw error("expected an object, found " + describe());
        }

        String string() {
            if (!present() || !json.isTextual()) throw error("expected a string, found " + describe());
            return json.textValue();
        }

        /** An unsigned integer up to {@code max}, or {@code absent} when missing. */
        int optionalUnsigned(int max, int absent) {
            if (!present()) return absent;
            BigInteger v = integer();
            if (v.signum() < 0 || v.compareTo(BigInteger.valueOf(max)) > 0) throw error(v + " is out of range (0.." + max + ")");
            return v.intValue();
        }

        /** An unsigned 64-bit value (as Go's uint64), in a long's bits. */
        long unsigned64() {
            BigInteger v = integer();
            if (v.signum() < 0 || v.bitLength() > 64) throw error(v + " is out of range (0..18446744073709551615)");
            return v.longValue();
        }

        private BigInteger integer() {
            if (!present() || !json.isIntegralNumber()) throw error("expected an unsigned integer, found " + describe());
            return json.bigIntegerValue();
        }

        private String describe() {
            if (!present()) return json == null || json.isMissingNode() ? "nothing" : "null";
            if (json.isTextual()) return "the string " + Quote.of(json.textValue());
            if (json.isNumber()) return "the number " + Quote.of(json.asText());
            if (json.isBoolean()) return json.asText();
            return json.isArray() ? "an array" : "an object";
        }

        SpecException error(String problem) {
            return new SpecException(source + ": " + (path.isEmpty() ? "" : path + ": ") + problem);
        }
    }
}
