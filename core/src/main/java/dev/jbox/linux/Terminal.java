package dev.jbox.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Terminals through ioctl(2): pseudo-terminal pairs, window sizes, raw mode. The request numbers
 * are asm-generic's, shared by x86-64 and aarch64.
 */
public final class Terminal {
    private Terminal() {}

    public static final long TCGETS = 0x5401, TCSETS = 0x5402, TIOCSCTTY = 0x540E, TIOCGWINSZ = 0x5413,
            TIOCSWINSZ = 0x5414, TIOCSPTLCK = 0x40045431L, TIOCGPTPEER = 0x5441;
    private static final int TERMIOS_BYTES = 36, C_CC = 17, VTIME = 5, VMIN = 6;

    /** A pseudo-terminal: the master jbox keeps and the slave the sandbox gets. */
    public record Pair(int master, int slave) {}

    /** Window size in character cells. */
    public record Size(int rows, int columns) {}

    /** posix_openpt + unlockpt + ioctl(TIOCGPTPEER): no path lookup of the slave, so no race. */
    public static Pair openPair() {
        int master = Linux.openat(Linux.AT_FDCWD, "/dev/ptmx", Linux.O_RDWR | Linux.O_NOCTTY | Linux.O_CLOEXEC, 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment zero = arena.allocate(JAVA_INT);
            Syscall.call(Sys.IOCTL, "/dev/ptmx (unlock)", master, TIOCSPTLCK, zero.address());
            int slave = (int) Syscall.call(Sys.IOCTL, "/dev/ptmx (peer)", master, TIOCGPTPEER, Linux.O_RDWR | Linux.O_NOCTTY | Linux.O_CLOEXEC);
            return new Pair(master, slave);
        } catch (RuntimeException e) {
            Linux.close(master);
            throw e;
        }
    }

    public static boolean isTerminal(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            return Syscall.callOrErrno(Sys.IOCTL, fd, TCGETS, arena.allocate(TERMIOS_BYTES).address()) >= 0;
        }
    }

    /** The size of the terminal on {@code fd}, or null if it is none. */
    public static Size size(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ws = arena.allocate(8);
            if (Syscall.callOrErrno(Sys.IOCTL, fd, TIOCGWINSZ, ws.address()) < 0) return null;
            return new Size(Short.toUnsignedInt(ws.get(JAVA_SHORT, 0)), Short.toUnsignedInt(ws.get(JAVA_SHORT, 2)));
        }
    }

    public static void resize(int fd, Size size) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ws = arena.allocate(8);
            ws.set(JAVA_SHORT, 0, (short) size.rows());
            ws.set(JAVA_SHORT, 2, (short) size.columns());
            Syscall.call(Sys.IOCTL, "terminal size", fd, TIOCSWINSZ, ws.address());
        }
    }

    /** The terminal's settings (struct termios, 36 bytes), to restore later. */
    public static byte[] attributes(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment t = arena.allocate(TERMIOS_BYTES);
            Syscall.call(Sys.IOCTL, "terminal settings", fd, TCGETS, t.address());
            return NativeBytes.toArray(t);
        }
    }

    public static void setAttributes(int fd, byte[] termios) {
        try (Arena arena = Arena.ofConfined()) {
            Syscall.call(Sys.IOCTL, "terminal settings", fd, TCSETS, NativeBytes.copyOf(arena, termios).address());
        }
    }

    /** cfmakeraw(3) on a copy of {@code termios}: no echo, no line editing, no signals from keys. */
    public static byte[] raw(byte[] termios) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(termios.clone()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int iflag = b.getInt(0), oflag = b.getInt(4), cflag = b.getInt(8), lflag = b.getInt(12);
        iflag &= ~(01 | 02 | 010 | 040 | 0100 | 0200 | 0400 | 02000);  // IGNBRK BRKINT PARMRK ISTRIP INLCR IGNCR ICRNL IXON
        oflag &= ~01;                                                  // OPOST
        lflag &= ~(010 | 0100 | 02 | 01 | 0100000);                     // ECHO ECHONL ICANON ISIG IEXTEN
        cflag = (cflag & ~(060 | 0400)) | 060;                          // CSIZE PARENB off, CS8
        b.putInt(0, iflag).putInt(4, oflag).putInt(8, cflag).putInt(12, lflag);
        b.put(C_CC + VMIN, (byte) 1).put(C_CC + VTIME, (byte) 0);
        return b.array();
    }
}
