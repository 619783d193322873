package dev.jbox.linux.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Runs a seccomp BPF program the way the kernel does, over a {@code struct seccomp_data}, from the
 * program's bytes (so the byte layout is tested too). It checks what the kernel's loader checks
 * (jumps in range, final ret, aligned in-bounds loads) and fails loudly on anything else.
 */
final class BpfInterpreter {
    private static final int DATA_BYTES = 64;

    private final byte[] program;
    private final int length;
    /** Instructions executed by the last {@link #run}: the filter's cost per system call. */
    int executed;

    BpfInterpreter(BpfProgram program) {
        this.program = program.toBytes();
        this.length = program.length();
        check();
    }

    /** The filter's return value for call {@code nr} of {@code auditArch} with six arguments. */
    int run(int auditArch, long nr, long... args) {
        ByteBuffer data = ByteBuffer.allocate(DATA_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        data.putInt(0, (int) nr).putInt(4, auditArch).putLong(8, 0x7f00_1234_5678L);
        for (int i = 0; i < args.length; i++) data.putLong(16 + 8 * i, args[i]);
        ByteBuffer code = ByteBuffer.wrap(program).order(ByteOrder.LITTLE_ENDIAN);
        int a = 0;
        executed = 0;
        for (int pc = 0; ; pc++) {
            executed++;
            int op = code.getShort(pc * 8) & 0xFFFF, jt = code.get(pc * 8 + 2) & 0xFF, jf = code.get(pc * 8 + 3) & 0xFF;
            int k = code.getInt(pc * 8 + 4);
            switch (op) {
                case 0x20 -> a = data.getInt(k);                      // ld [k]
                case 0x54 -> a &= k;                                  // and #k
                case 0x05 -> pc += k;                                 // ja
                case 0x15 -> pc += a == k ? jt : jf;                  // jeq
                case 0x25 -> pc += Integer.compareUnsigned(a, k) > 0 ? jt : jf;
                case 0x35 -> pc += Integer.compareUnsigned(a, k) >= 0 ? jt : jf;
                case 0x45 -> pc += (a & k) != 0 ? jt : jf;
                case 0x06 -> { return k; }                            // ret #k
                default -> throw new AssertionError("opcode 0x" + Integer.toHexString(op) + " at " + pc);
            }
        }
    }

    private void check() {
        ByteBuffer code = ByteBuffer.wrap(program).order(ByteOrder.LITTLE_ENDIAN);
        if (length == 0 || length > 4096 || program.length != length * 8) throw new AssertionError("bad program length " + length);
        for (int pc = 0; pc < length; pc++) {
            int op = code.getShort(pc * 8) & 0xFFFF, jt = code.get(pc * 8 + 2) & 0xFF, jf = code.get(pc * 8 + 3) & 0xFF;
            long k = code.getInt(pc * 8 + 4) & 0xFFFFFFFFL;
            switch (op) {
                case 0x20 -> {
                    if (k % 4 != 0 || k + 4 > DATA_BYTES) throw new AssertionError("load of [" + k + "] at " + pc);
                }
                case 0x05 -> {
                    if (pc + 1 + k >= length) throw new AssertionError("ja out of range at " + pc);
                }
                case 0x15, 0x25, 0x35, 0x45 -> {
                    if (pc + 1 + Math.max(jt, jf) >= length) throw new AssertionError("jump out of range at " + pc);
                }
                case 0x54, 0x06 -> { }
                default -> throw new AssertionError("opcode 0x" + Integer.toHexString(op) + " at " + pc);
            }
        }
        if ((code.getShort((length - 1) * 8) & 0xFFFF) != 0x06) throw new AssertionError("program does not end with ret");
    }
}
