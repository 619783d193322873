package dev.jbox.linux;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class UnixSocketTableTest {
    static byte[] table(byte[]... lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("Num       RefCount Protocol Flags    Type St Inode Path\n".getBytes(StandardCharsets.US_ASCII));
        for (byte[] l : lines) {
            out.writeBytes(l);
            out.write('\n');
        }
        return out.toByteArray();
    }

    static byte[] line(String path) {
        return ("0000000000000000: 00000002 00000000 00010000 0001 01 23456" + (path == null ? "" : " " + path)).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void boundPathsOnceEachWithoutAbstractOrUnboundSockets() {
        byte[] t = table(line("/run/user/1000/bus"), line(null), line("@/tmp/.X11-unix/X0"), line("/run/user/1000/bus"),
                line("/home/u/a sock with spaces"), line("relative.sock"), line("/run/ünïcode"));
        assertEquals(List.of("/run/user/1000/bus", "/home/u/a sock with spaces", "/run/ünïcode"), UnixSocketTable.boundPaths(t));
    }

    @Test
    void aNameThatIsNotUtf8ComesBackEscapedAndReachesTheKernelUnchanged() {
        byte[] name = {'/', 't', 'm', 'p', '/', (byte) 0xff, 'x', (byte) 0xc3};
        List<String> paths = UnixSocketTable.boundPaths(table(concat(line(null), new byte[] {' '}, name)));
        assertEquals(1, paths.size());
        assertEquals("/tmp/\udcffx\udcc3", paths.getFirst());
        assertArrayEquals(name, NativeBytes.pathBytes(paths.getFirst()));
    }

    @Test
    void everyByteStringSurvivesDecodingAndEncoding() {
        Random random = new Random(15);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[random.nextInt(12)];
            random.nextBytes(b);
            assertArrayEquals(b, NativeBytes.pathBytes(NativeBytes.decodePath(b, 0, b.length)), java.util.HexFormat.of().formatHex(b));
        }
        assertArrayEquals("/home/ü/😀".getBytes(StandardCharsets.UTF_8), NativeBytes.pathBytes("/home/ü/😀"));
    }

    @Test
    void theRealTableOfThisHostParses() throws Exception {
        for (String p : UnixSocketTable.boundPaths()) assertTrue(p.startsWith("/"), p);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }
}
