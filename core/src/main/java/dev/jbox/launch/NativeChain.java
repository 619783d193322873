package dev.jbox.launch;

import dev.jbox.linux.Arch;
import dev.jbox.linux.Sys;
import dev.jbox.linux.Syscall;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A {@link ChainProgram} laid out in native memory as linked ucontexts (DESIGN §2): each link calls
 * {@code syscall(nr, …)} or {@code memcpy} on its own stack, and its {@code uc_link} is the next.
 * After a call whose errno the parent reads, one link copies errno into the call's slot; after a
 * call whose failure may be tolerated, another resets errno (see {@link ChainProgram#reportsErrno}).
 * The child enters the first link through {@code clone(setcontext, …)} and runs no Java code.
 *
 * <p>Everything the launch needs in native memory lives in one pooled {@link LinkMemory} block:
 * contexts and their stacks, the clone stack, the errno slots, the exec gate, and the arguments'
 * strings and structs. A per-launch shared arena cost a handshake with every Java thread at close.
 */
final class NativeChain {
    private static final long LINK_STACK = 4096;
    /** The stack clone's child starts on, until setcontext enters the first link. */
    private static final long CLONE_STACK = 64 * 1024;
    /** Slack per native datum for its alignment (8 bytes at most). */
    private static final long ALIGN = 8;

    /** libc entry points: the chain's links, and what assembling it calls (through {@link Syscall#callFunction}). */
    private static final class Libc {
        static final MemorySegment GETCONTEXT = Syscall.libcSymbol("getcontext");    // int getcontext(ucontext_t *ucp);
        static final MemorySegment MAKECONTEXT = Syscall.libcSymbol("makecontext");  // void makecontext(ucontext_t *ucp, void (*func)(), int argc, ...);
        static final MemorySegment ERRNO_LOCATION = Syscall.libcSymbol("__errno_location");  // int *__errno_location(void);
        static final MemorySegment SYSCALL = Syscall.libcSymbol("syscall");
        static final MemorySegment MEMCPY = Syscall.libcSymbol("memcpy");
        static final MemorySegment SETCONTEXT = Syscall.libcSymbol("setcontext");
    }

    private record Link(MemorySegment function, long[] args, boolean unblockSignals) {}

    final ChainProgram program;
    final MemorySegment first;
    /** One errno per call of the program, written by the child, read by the parent. */
    final MemorySegment slots;
    final MemorySegment gate;
    /** Where clone stores the child's pidfd (CLONE_PIDFD); -1 until then. */
    final MemorySegment pidfdOut;
    /** The top of the stack clone's child starts on. */
    final MemorySegment cloneStackTop;

    private final LinkMemory memory;

    private NativeChain(ChainProgram program, MemorySegment first, Data data, MemorySegment cloneStack, LinkMemory memory) {
        this.program = program;
        this.first = first;
        this.slots = data.slots;
        this.gate = data.gate;
        this.pidfdOut = data.pidfdOut;
        this.cloneStackTop = cloneStack.asSlice(cloneStack.byteSize());
        this.memory = memory;
    }

    static MemorySegment setcontext() {
        return Libc.SETCONTEXT;
    }

    /**
     * Lays out the chain. Must run on the thread that will call clone: the child shares that
     * thread's TLS, so its errno lives at this thread's {@code __errno_location()}.
     */
    static NativeChain assemble(ChainProgram program, Arch arch) {
        List<Call> calls = program.calls();
        int links = linkCount(program);
        long stride = arch.ucontextBytes + LINK_STACK, contexts = stride * links + arch.ucontextBytes;
        long dataBytes = Data.bytes(program);
        LinkMemory memory = LinkMemory.take(contexts + CLONE_STACK + dataBytes);
        MemorySegment block = memory.block;
        MemorySegment cloneStack = block.asSlice(contexts, CLONE_STACK);
        Data data = new Data(SegmentAllocator.slicingAllocator(block.asSlice(contexts + CLONE_STACK, dataBytes)), program);

        MemorySegment errno = errnoLocation();
        List<Link> chain = new ArrayList<>(links);
        chain.add(memcpy(errno, data.zero));  // errno is inherited from the parent thread: start clean
        for (int i = 0; i < calls.size(); i++) {
            Call call = calls.get(i);
            long[] args = new long[6];
            args[0] = call.sys().number(arch);
            for (int a = 0; a < call.args().size(); a++) args[a + 1] = data.value(call.args().get(a));
            chain.add(new Link(Libc.SYSCALL, args, call.sys() == Sys.EXECVE));
            if (program.reportsErrno(i)) chain.add(memcpy(data.slots.asSlice(4L * i, 4), errno));
            if (program.clearsErrnoAfter(i)) chain.add(memcpy(errno, data.zero));
        }
        if (chain.size() != links) throw new IllegalStateException("chain of " + chain.size() + " links, " + links + " expected");
        return new NativeChain(program, link(chain, block.asSlice(0, contexts), arch), data, cloneStack, memory);
    }

    /** Links of a program: the first errno reset, each call, its errno copy and reset where needed. */
    static int linkCount(ChainProgram program) {
        int links = 1;
        for (int i = 0; i < program.calls().size(); i++) {
            links += 1 + (program.reportsErrno(i) ? 1 : 0) + (program.clearsErrnoAfter(i) ? 1 : 0);
        }
        return links;
    }

    /**
     * The launch's data in the pooled block, which holds an earlier launch's bytes: what the chain
     * or the parent reads before anyone writes it is cleared here. Above all the exec gate: should
     * the parent die, the child's read of it ends at EOF and must leave an empty path behind.
     */
    private static final class Data {
        final SegmentAllocator allocator;
        final ChainProgram program;
        final MemorySegment zero, goByte, slots, gate, pidfdOut;

        Data(SegmentAllocator allocator, ChainProgram program) {
            this.allocator = allocator;
            this.program = program;
            zero = allocator.allocate(8, 8).fill((byte) 0);
            goByte = allocator.allocate(8, 8);
            slots = allocator.allocate(JAVA_INT, program.calls().size()).fill((byte) 0);
            gate = allocator.allocate(ChainProgram.gateSize(program.exec()) + 1L).fill((byte) 0);
            pidfdOut = allocator.allocate(JAVA_INT);
            pidfdOut.set(JAVA_INT, 0, -1);
        }

        /** An upper bound of what the constructor and {@link #value} allocate for a program. */
        static long bytes(ChainProgram program) {
            long bytes = 3 * (8 + ALIGN) + 4L * program.calls().size() + ALIGN + ChainProgram.gateSize(program.exec()) + 1 + ALIGN;
            for (Call call : program.calls()) for (Arg arg : call.args()) bytes += bytes(arg);
            return bytes;
        }

        private static long bytes(Arg arg) {
            return switch (arg) {
                case Arg.CString s -> utf8(s.value()) + 1 + ALIGN;
                case Arg.Bytes b -> b.value().length + ALIGN;
                case Arg.Fprog f -> f.program().length + ALIGN + 16 + ALIGN;
                case Arg.StringArray a -> 8L * (a.values().size() + 1) + ALIGN + a.values().stream().mapToLong(v -> utf8(v) + 1 + ALIGN).sum();
                case Arg.Num n -> 0;
                case Arg.GoByte g -> 0;
                case Arg.Gate g -> 0;
                case Arg.GatePath p -> 0;
            };
        }

        private static long utf8(String s) {
            return s.getBytes(StandardCharsets.UTF_8).length;
        }

        /** The 64-bit value a link passes for an argument, copying data into the block. */
        long value(Arg arg) {
            return switch (arg) {
                case Arg.Num n -> n.value();
                case Arg.CString s -> allocator.allocateFrom(s.value()).address();
                case Arg.Bytes b -> allocator.allocateFrom(JAVA_BYTE, b.value()).address();
                case Arg.Fprog f -> {
                    MemorySegment filter = allocator.allocateFrom(JAVA_BYTE, f.program());
                    MemorySegment fprog = allocator.allocate(16, 8);  // struct sock_fprog { u16 len; sock_filter *filter; }
                    fprog.set(JAVA_SHORT, 0, (short) f.instructions());
                    fprog.set(ADDRESS, 8, filter);
                    yield fprog.address();
                }
                case Arg.StringArray a -> {
                    MemorySegment array = allocator.allocate(ADDRESS, a.values().size() + 1L);
                    for (int i = 0; i < a.values().size(); i++) array.setAtIndex(ADDRESS, i, allocator.allocateFrom(a.values().get(i), StandardCharsets.UTF_8));
                    array.setAtIndex(ADDRESS, a.values().size(), MemorySegment.NULL);
                    yield array.address();
                }
                case Arg.GoByte g -> goByte.address();
                case Arg.Gate g -> gate.address();
                case Arg.GatePath p -> gate.address() + ChainProgram.gateOffset(program.exec(), p.index());
            };
        }
    }

    /**
     * Returns the block for reuse: only once the child no longer runs on it (clone returned) and
     * nobody reads its slots any more (the protocol is over, exec failures are checked).
     */
    void release() {
        memory.release();
    }

    private static Link memcpy(MemorySegment to, MemorySegment from) {
        return new Link(Libc.MEMCPY, new long[] {to.address(), from.address(), 4, 0, 0, 0}, false);
    }

    /** Builds the ucontexts back to front in {@code memory}, so each can point at its successor. */
    private static MemorySegment link(List<Link> links, MemorySegment memory, Arch arch) {
        long contextBytes = arch.ucontextBytes, stride = contextBytes + LINK_STACK;
        MemorySegment block = memory.asSlice(0, stride * links.size());
        MemorySegment template = memory.asSlice(stride * links.size(), contextBytes);
        MemorySegment next = MemorySegment.NULL;
        // One getcontext for the whole chain: every link starts as a copy of it, and makecontext
        // sets what differs (registers, stack, successor). One per link cost a downcall and an
        // rt_sigprocmask each: ~45 µs of a ~230-link chain.
        if ((int) Syscall.callFunction(Libc.GETCONTEXT, template.address()) != 0) throw new IllegalStateException("getcontext failed");
        for (int i = links.size() - 1; i >= 0; i--) {
            Link link = links.get(i);
            MemorySegment uc = block.asSlice(stride * i, contextBytes);
            MemorySegment stack = block.asSlice(stride * i + contextBytes, LINK_STACK);
            copyContext(template, uc, arch);
            uc.set(ADDRESS, Arch.UC_LINK_OFFSET, next);
            uc.set(ADDRESS, Arch.UC_STACK_SP_OFFSET, stack);
            uc.set(JAVA_LONG, Arch.UC_STACK_SIZE_OFFSET, LINK_STACK);
            // Signals stay blocked through the chain; only execve starts the workload with a clean mask.
            uc.set(JAVA_LONG, arch.ucSigmaskOffset, link.unblockSignals() ? 0L : -1L);
            long[] a = link.args();
            Syscall.callFunction(Libc.MAKECONTEXT, uc.address(), link.function().address(), 6, a[0], a[1], a[2], a[3], a[4], a[5]);
            next = uc;
        }
        return next;
    }

    /** A copy of a saved context that refers only to itself (x86-64 keeps a pointer to its FP state). */
    static void copyContext(MemorySegment from, MemorySegment to, Arch arch) {
        MemorySegment.copy(from, 0, to, 0, arch.ucontextSize);
        if (arch.ucFpregsPointerOffset >= 0) to.set(ADDRESS, arch.ucFpregsPointerOffset, to.asSlice(arch.ucFpregsMemOffset));
    }

    private static MemorySegment errnoLocation() {
        return MemorySegment.ofAddress(Syscall.callFunction(Libc.ERRNO_LOCATION)).reinterpret(4);
    }

    /** errno of call {@code index} as the child left it (0: it succeeded, or never ran). */
    int errnoOf(int index) {
        return slots.getAtIndex(JAVA_INT, index);
    }
}
