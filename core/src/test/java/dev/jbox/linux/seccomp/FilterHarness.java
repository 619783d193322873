package dev.jbox.linux.seccomp;

import dev.jbox.linux.Arch;
import dev.jbox.linux.Capabilities;

import java.util.List;

/** A compiled filter under the test interpreter, addressed by syscall name. */
final class FilterHarness {
    static final int ALLOW = Action.ALLOW.ret(), EPERM = Action.EPERM.ret(), ENOSYS = Action.ENOSYS.ret(),
            KILL_PROCESS = Action.KILL_PROCESS.ret();

    final SeccompFilter filter;
    final BpfInterpreter bpf;

    FilterHarness(SeccompFilter filter) {
        this.filter = filter;
        this.bpf = new BpfInterpreter(filter.program());
    }

    /** The default profile with Docker's default capabilities (uid 0), on kernel 6.1. */
    static FilterHarness defaultProfile(Arch arch) {
        return defaultProfile(arch, Capabilities.dockerDefault(40));
    }

    static FilterHarness defaultProfile(Arch arch, Capabilities caps) {
        return new FilterHarness(DefaultFilters.filter(sandbox(arch, caps)));
    }

    static ProfileEntry.Sandbox sandbox(Arch arch, Capabilities caps) {
        return new ProfileEntry.Sandbox(arch, caps.boundingNames(), new KernelVersion(6, 1));
    }

    /** The filter's answer for {@code name} of {@code abi}. */
    int call(Abi abi, String name, long... args) {
        long nr = abi.table().number(name);
        if (nr < 0) throw new AssertionError(abi + " has no syscall " + name);
        return bpf.run(abi.auditArch, nr, args);
    }

    static String describe(int ret) {
        for (var e : List.of(Action.ALLOW, Action.EPERM, Action.ENOSYS, Action.KILL_PROCESS)) {
            if (e.ret() == ret) return e.toString();
        }
        return "0x" + Integer.toHexString(ret);
    }
}
