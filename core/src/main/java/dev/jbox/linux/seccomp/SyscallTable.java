package dev.jbox.linux.seccomp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * System call names and numbers of one ABI, read from {@code syscalls-<abi>.tsv}, which
 * {@code core/scripts/gen-syscall-tables.sh} generates from the kernel's UAPI headers.
 * Numbers are unsigned 32-bit values, as {@code seccomp_data.nr} is compared by BPF.
 */
public final class SyscallTable {
    private final Map<String, Long> numbers;
    private final NavigableMap<Long, String> names;

    SyscallTable(Map<String, Long> numbers) {
        this.numbers = Map.copyOf(numbers);
        TreeMap<Long, String> byNumber = new TreeMap<>();
        numbers.forEach((name, nr) -> byNumber.put(nr, name));
        this.names = Collections.unmodifiableNavigableMap(byNumber);
    }

    static SyscallTable load(String abi) {
        String resource = "syscalls-" + abi + ".tsv";
        try (InputStream in = SyscallTable.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("jbox is missing its syscall table " + resource);
            Map<String, Long> numbers = new HashMap<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.isEmpty() || line.startsWith("#")) continue;
                int tab = line.indexOf('\t');
                numbers.put(line.substring(tab + 1), Long.parseLong(line, 0, tab, 10));
            }
            return new SyscallTable(numbers);
        } catch (IOException e) {
            throw new UncheckedIOException("reading syscall table " + resource, e);
        }
    }

    /** The number of {@code name}, or -1 if this ABI has no such call. */
    public long number(String name) {
        return numbers.getOrDefault(name, -1L);
    }

    public boolean contains(String name) {
        return numbers.containsKey(name);
    }

    /** Every call of this ABI by number, ascending. */
    public NavigableMap<Long, String> byNumber() {
        return names;
    }

    /** The name of call {@code nr}, or null for a number the table does not know. */
    public String name(long nr) {
        return names.get(nr);
    }
}
