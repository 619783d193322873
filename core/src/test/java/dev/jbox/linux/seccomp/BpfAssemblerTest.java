package dev.jbox.linux.seccomp;

import dev.jbox.linux.seccomp.BpfAssembler.Label;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BpfAssemblerTest {
    private static final int ARCH = 0xC000003E;

    /** {@code count} filler instructions that fall through (A &= ~0 changes nothing). */
    private static void filler(BpfAssembler asm, int count) {
        for (int i = 0; i < count; i++) asm.and(-1);
    }

    @Test
    void resolvesNearLabelsIntoOffsets() {
        BpfAssembler asm = new BpfAssembler();
        Label yes = asm.newLabel("yes"), no = asm.newLabel("no");
        asm.load(0).jeq(7, yes, no).mark(no).ret(1).mark(yes).ret(2);
        BpfProgram p = asm.assemble();
        assertEquals(4, p.length());
        assertEquals(new BpfInsn(0x15, 1, 0, 7), p.instructions().get(1));
        BpfInterpreter bpf = new BpfInterpreter(p);
        assertEquals(2, bpf.run(ARCH, 7));
        assertEquals(1, bpf.run(ARCH, 8));
    }

    @Test
    void nextMeansTheFollowingInstruction() {
        BpfAssembler asm = new BpfAssembler();
        Label big = asm.newLabel("big");
        asm.load(0).jgt(10, big, Label.NEXT).ret(1).mark(big).ret(2);
        BpfInterpreter bpf = new BpfInterpreter(asm.assemble());
        assertEquals(1, bpf.run(ARCH, 10));
        assertEquals(2, bpf.run(ARCH, 11));
    }

    @Test
    void encodesSockFilterLittleEndian() {
        BpfAssembler asm = new BpfAssembler();
        Label t = asm.newLabel("t");
        asm.load(4).jeq(0xC000003E, t, Label.NEXT).ret(0x80000000).mark(t).ret(0x7fff0000);
        byte[] bytes = asm.assemble().toBytes();
        assertEquals(32, bytes.length);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x20, b.getShort(0));
        assertEquals(4, b.getInt(4));
        assertEquals(0x15, b.getShort(8));
        assertEquals(1, b.get(10));   // jt: skip the ret
        assertEquals(0, b.get(11));
        assertEquals(0xC000003E, b.getInt(12));
        assertEquals(0x7fff0000, b.getInt(28));
    }

    @Test
    void targetExactly255AwayStaysAShortJump() {
        BpfAssembler asm = new BpfAssembler();
        Label far = asm.newLabel("far");
        asm.load(0).jeq(1, far, Label.NEXT);
        filler(asm, 254);
        asm.ret(1).mark(far).ret(2);
        BpfProgram p = asm.assemble();
        assertEquals(1 + 1 + 254 + 2, p.length());
        assertEquals(255, p.instructions().get(1).jt());
        assertEquals(2, new BpfInterpreter(p).run(ARCH, 1));
    }

    @Test
    void farTrueTargetGoesThroughATrampoline() {
        BpfAssembler asm = new BpfAssembler();
        Label far = asm.newLabel("far");
        asm.load(0).jeq(1, far, Label.NEXT);
        filler(asm, 300);
        asm.ret(1).mark(far).ret(2);
        BpfProgram p = asm.assemble();
        assertEquals(1 + 2 + 300 + 2, p.length());
        assertEquals(new BpfInsn(0x15, 0, 1, 1), p.instructions().get(1));
        assertEquals(0x05, p.instructions().get(2).code());
        BpfInterpreter bpf = new BpfInterpreter(p);
        assertEquals(2, bpf.run(ARCH, 1));
        assertEquals(1, bpf.run(ARCH, 5));
    }

    @Test
    void farFalseTargetGoesThroughATrampoline() {
        BpfAssembler asm = new BpfAssembler();
        Label far = asm.newLabel("far");
        asm.load(0).jge(100, Label.NEXT, far);
        filler(asm, 400);
        asm.ret(1).mark(far).ret(2);
        BpfInterpreter bpf = new BpfInterpreter(asm.assemble());
        assertEquals(1, bpf.run(ARCH, 100));
        assertEquals(2, bpf.run(ARCH, 99));
    }

    @Test
    void bothTargetsFar() {
        BpfAssembler asm = new BpfAssembler();
        Label a = asm.newLabel("a"), b = asm.newLabel("b");
        asm.load(0).jset(4, a, b);
        filler(asm, 300);
        asm.ret(9).mark(a);
        filler(asm, 300);
        asm.ret(1).mark(b).ret(2);
        BpfProgram p = asm.assemble();
        assertEquals(new BpfInsn(0x45, 0, 1, 4), p.instructions().get(1));
        BpfInterpreter bpf = new BpfInterpreter(p);
        assertEquals(1, bpf.run(ARCH, 4));
        assertEquals(2, bpf.run(ARCH, 3));
    }

    /** A trampoline inserted for one jump can push an earlier jump out of reach: relaxation repeats. */
    @Test
    void relaxationCascades() {
        BpfAssembler asm = new BpfAssembler();
        Label nearEnd = asm.newLabel("near"), farEnd = asm.newLabel("far");
        asm.load(0).jeq(1, nearEnd, Label.NEXT)   // exactly 255 ahead until the next jump grows
                .jeq(2, farEnd, Label.NEXT);      // 500 ahead: needs a trampoline, placed before nearEnd
        filler(asm, 253);
        asm.ret(0).mark(nearEnd).ret(1);
        filler(asm, 300);
        asm.ret(0).mark(farEnd).ret(2);
        BpfProgram p = asm.assemble();
        assertEquals(2, p.instructions().stream().filter(i -> i.code() == 0x05).count(), p.disassemble());
        BpfInterpreter bpf = new BpfInterpreter(p);
        assertEquals(1, bpf.run(ARCH, 1));
        assertEquals(2, bpf.run(ARCH, 2));
        assertEquals(0, bpf.run(ARCH, 3));
    }

    @Test
    void refusesProgramsTheKernelWouldRefuse() {
        BpfAssembler undefined = new BpfAssembler();
        undefined.load(0).jeq(1, new Label("nowhere"), Label.NEXT).ret(0);
        assertThrows(IllegalStateException.class, undefined::assemble);

        BpfAssembler backward = new BpfAssembler();
        Label top = backward.newLabel("top");
        backward.mark(top).load(0).jump(top).ret(0);
        assertTrue(assertThrows(IllegalStateException.class, backward::assemble).getMessage().contains("backward"));

        BpfAssembler twice = new BpfAssembler();
        Label l = twice.newLabel("l");
        twice.mark(l).load(0).mark(l).ret(0);
        assertThrows(IllegalStateException.class, twice::assemble);

        BpfAssembler noRet = new BpfAssembler();
        noRet.load(0);
        assertThrows(IllegalStateException.class, noRet::assemble);

        BpfAssembler tooLong = new BpfAssembler();
        filler(tooLong, BpfProgram.MAX_INSTRUCTIONS);
        tooLong.ret(0);
        assertTrue(assertThrows(IllegalStateException.class, tooLong::assemble).getMessage().contains("too long"));
    }

    @Test
    void disassemblesReadably() {
        BpfAssembler asm = new BpfAssembler();
        asm.load(4).ret(0x7fff0000);
        String text = asm.assemble().disassemble();
        assertTrue(text.contains("0: ld [4]"), text);
        assertTrue(text.contains("1: ret #0x7fff0000"), text);
    }
}
