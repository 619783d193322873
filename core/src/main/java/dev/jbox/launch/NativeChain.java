package dev.jbox.launch;

import dev.jbox.linux.Arch;
import dev.jbox.linux.NativeBytes;
import dev.jbox.linux.Sys;
import dev.jbox.linux.Syscall;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
    static final long LINK_STACK = 4096;
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

    private final Data data;

    private NativeChain(ChainProgram program, MemorySegment first, Data data, MemorySegment cloneStack, LinkMemory memory) {
        this.program = program;
        this.first = first;
        this.slots = data.region.asSlice(data.slots, 4L * program.calls().size());
        this.gate = data.region.asSlice(data.gate, ChainProgram.gateSize(program.exec()) + 1L);
        this.pidfdOut = data.region.asSlice(data.pidfdOut, 4);
        this.cloneStackTop = cloneStack.asSlice(cloneStack.byteSize());
        this.memory = memory;
        this.data = data;
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
        Data data = new Data(block.asSlice(contexts + CLONE_STACK, dataBytes), program);

        long errno = errnoLocation(), zero = data.address(data.zero);
        List<Link> chain = new ArrayList<>(links);
        chain.add(memcpy(errno, zero));  // errno is inherited from the parent thread: start clean
        for (int i = 0; i < calls.size(); i++) {
            Call call = calls.get(i);
            long[] args = new long[6];
            args[0] = call.sys().number(arch);
            for (int a = 0; a < call.args().size(); a++) args[a + 1] = data.value(call.args().get(a));
            chain.add(new Link(Libc.SYSCALL, args, call.sys() == Sys.EXECVE));
            if (program.reportsErrno(i)) chain.add(memcpy(data.address(data.slots + 4 * i), errno));
            if (program.clearsErrnoAfter(i)) chain.add(memcpy(errno, zero));
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
     * Written through one {@link NativeBytes} view, as the contexts are. Arguments are told apart
     * without a pattern switch, on the launch path (StartupPathTest says why); {@code
     * NativeChainTest} checks that every kind is laid out.
     */
    private static final class Data {
        final ChainProgram program;
        final MemorySegment region;
        final ByteBuffer bytes;
        final long base;
        final int zero, goByte, slots, gate, pidfdOut;
        private int next;

        Data(MemorySegment region, ChainProgram program) {
            this.program = program;
            this.region = region;
            this.bytes = NativeBytes.view(region);
            this.base = region.address();
            zero = allocate(8);
            bytes.putLong(zero, 0);
            goByte = allocate(8);
            slots = allocate(4 * program.calls().size());
            clear(slots, 4 * program.calls().size());
            int gateBytes = ChainProgram.gateSize(program.exec()) + 1;
            gate = allocate(gateBytes);
            clear(gate, gateBytes);
            pidfdOut = allocate(4);
            bytes.putInt(pidfdOut, -1);
        }

        /** An upper bound of what the constructor and {@link #value} allocate for a program. */
        static long bytes(ChainProgram program) {
            long bytes = 3 * (8 + ALIGN) + 4L * program.calls().size() + ALIGN + ChainProgram.gateSize(program.exec()) + 1 + ALIGN;
            for (Call call : program.calls()) for (Arg arg : call.args()) bytes += bytes(arg);
            return bytes;
        }

        /** Native bytes {@code arg} needs in the block; numbers and the gate's places need none. */
        private static long bytes(Arg arg) {
            if (arg instanceof Arg.CString s) return utf8(s.value()).length + 1 + ALIGN;
            if (arg instanceof Arg.Bytes b) return b.value().length + ALIGN;
            if (arg instanceof Arg.Fprog f) return f.program().length + ALIGN + 16 + ALIGN;
            if (arg instanceof Arg.StringArray a) {
                long bytes = 8L * (a.values().size() + 1) + ALIGN;
                for (String v : a.values()) bytes += utf8(v).length + 1 + ALIGN;
                return bytes;
            }
            return 0;
        }

        /** UTF-8, with the escaped bytes of a name that is not UTF-8 restored (NativeBytes.pathBytes). */
        private static byte[] utf8(String s) {
            return NativeBytes.pathBytes(s);
        }

        /** Offset in the region of {@code size} fresh bytes, 8-byte aligned. */
        private int allocate(int size) {
            int at = (int) ((next + ALIGN - 1) & -ALIGN);
            next = at + size;
            return at;
        }

        private void clear(int at, int size) {
            region.asSlice(at, size).fill((byte) 0);
        }

        private long address(int offset) {
            return base + offset;
        }

        /** Copies {@code value} into the region, with {@code terminators} zero bytes after it; returns its offset. */
        private int copy(byte[] value, int terminators) {
            int at = allocate(value.length + terminators);
            bytes.put(at, value);
            for (int i = 0; i < terminators; i++) bytes.put(at + value.length + i, (byte) 0);
            return at;
        }

        /** The 64-bit value a link passes for an argument, copying data into the block. */
        long value(Arg arg) {
            if (arg instanceof Arg.Num n) return n.value();
            if (arg instanceof Arg.CString s) return address(copy(utf8(s.value()), 1));
            if (arg instanceof Arg.Bytes b) return address(copy(b.value(), 0));
            if (arg instanceof Arg.Fprog f) {
                long filter = address(copy(f.program(), 0));
                int fprog = allocate(16);  // struct sock_fprog { u16 len; sock_filter *filter; }
                bytes.putShort(fprog, (short) f.instructions());
                bytes.putLong(fprog + 8, filter);
                return address(fprog);
            }
            if (arg instanceof Arg.StringArray a) {
                int array = allocate(8 * (a.values().size() + 1));
                for (int i = 0; i < a.values().size(); i++) bytes.putLong(array + 8 * i, address(copy(utf8(a.values().get(i)), 1)));
                bytes.putLong(array + 8 * a.values().size(), 0);
                return address(array);
            }
            if (arg instanceof Arg.GoByte) return address(goByte);
            if (arg instanceof Arg.Gate) return address(gate);
            if (arg instanceof Arg.GatePath p) return address(gate) + ChainProgram.gateOffset(program.exec(), p.index());
            throw new IllegalArgumentException("no native form for " + arg.getClass().getSimpleName());
        }
    }

    /**
     * Returns the block for reuse: only once the child no longer runs on it (clone returned) and
     * nobody reads its slots any more (the protocol is over, exec failures are checked).
     */
    void release() {
        memory.release();
    }

    private static Link memcpy(long to, long from) {
        return new Link(Libc.MEMCPY, new long[] {to, from, 4, 0, 0, 0}, false);
    }

    /** Builds the ucontexts back to front in {@code memory}, so each can point at its successor. */
    private static MemorySegment link(List<Link> links, MemorySegment memory, Arch arch) {
        int contextBytes = (int) arch.ucontextBytes, stride = contextBytes + (int) LINK_STACK;
        MemorySegment block = memory.asSlice(0, (long) stride * links.size());
        MemorySegment template = memory.asSlice((long) stride * links.size(), contextBytes);
        ByteBuffer words = NativeBytes.view(block);
        // One getcontext for the whole chain: every link starts as a copy of it, and makecontext
        // sets what differs (registers, stack, successor). One per link cost a downcall and an
        // rt_sigprocmask each: ~45 µs of a ~230-link chain.
        if ((int) Syscall.callFunction(Libc.GETCONTEXT, template.address()) != 0) throw new IllegalStateException("getcontext failed");
        byte[] saved = NativeBytes.toArray(template.asSlice(0, arch.ucontextSize));
        ContextRecipe.Preparer prepare = (w, address, at, successor) -> prepareLink(saved, w, address, at, successor, arch);
        Optional<ContextRecipe> recipe = recipe(arch, prepare);
        long next = 0;  // NULL: the last link's successor
        for (int i = links.size() - 1; i >= 0; i--) {
            Link link = links.get(i);
            int at = stride * i;
            long address = block.address() + at;
            prepare.prepare(words, address, at, next);
            long[] inputs = ContextRecipe.inputs(link.function().address(), link.args(), next);
            if (recipe.isPresent()) recipe.get().apply(words, address, at, inputs);
            else makecontext(address, inputs);
            // Signals stay blocked through the chain; only execve starts the workload with a clean mask.
            if (link.unblockSignals()) words.putLong(at + (int) arch.ucSigmaskOffset, 0L);
            next = address;
        }
        return MemorySegment.ofAddress(next);
    }

    /** A link before makecontext: a copy of the saved context that refers only to itself, its successor, its stack, signals blocked. */
    static void prepareLink(byte[] saved, ByteBuffer words, long address, int at, long successor, Arch arch) {
        words.put(at, saved);
        // x86-64 keeps a pointer to the context's own FP state.
        if (arch.ucFpregsPointerOffset >= 0) words.putLong(at + (int) arch.ucFpregsPointerOffset, address + arch.ucFpregsMemOffset);
        words.putLong(at + (int) Arch.UC_LINK_OFFSET, successor);
        words.putLong(at + (int) Arch.UC_STACK_SP_OFFSET, address + arch.ucontextBytes);
        words.putLong(at + (int) Arch.UC_STACK_SIZE_OFFSET, LINK_STACK);
        words.putLong(at + (int) arch.ucSigmaskOffset, -1L);
    }

    /** glibc's makecontext for the prepared link at {@code address}, with {@link ContextRecipe#inputs}. */
    static void makecontext(long address, long[] in) {
        Syscall.callFunction(Libc.MAKECONTEXT, address, in[0], 6, in[1], in[2], in[3], in[4], in[5], in[6]);
    }

    /** makecontext's effect on a link of this architecture's layout, learned on first use ({@link ContextRecipe}). */
    private static synchronized Optional<ContextRecipe> recipe(Arch arch, ContextRecipe.Preparer prepare) {
        return RECIPES.computeIfAbsent(arch, a -> {
            int contextBytes = (int) a.ucontextBytes;
            return ContextRecipe.learn(contextBytes + (int) LINK_STACK, (int) a.ucontextSize,
                    contextBytes + (int) LINK_STACK - ContextRecipe.STACK_TOP, prepare, NativeChain::makecontext);
        });
    }

    private static final Map<Arch, Optional<ContextRecipe>> RECIPES = new EnumMap<>(Arch.class);

    private static long errnoLocation() {
        return Syscall.callFunction(Libc.ERRNO_LOCATION);
    }

    /** errno of call {@code index} as the child left it (0: it succeeded, or never ran). */
    int errnoOf(int index) {
        return data.bytes.getInt(data.slots + 4 * index);
    }

    /** The child's pidfd as clone stored it, or -1 if clone failed. */
    int pidfd() {
        return data.bytes.getInt(data.pidfdOut);
    }
}
