import { shellQuote } from "../shell/quote";

/** The test guest must run this many loop iterations in under this long to count as hardware speed. */
export const KVM_PROBE_ITERATIONS = 30_000;
export const KVM_PROBE_MAX_MS = 3;
/** The whole probe's time box on the host. */
export const KVM_PROBE_TIMEOUT_S = 5;

/**
 * Whether a guest can really use /dev/kvm: not just that it exists, but that a tiny 64-bit guest
 * (a `dec rcx; jnz; hlt` loop) runs on it, and at hardware speed. Some machines offer a /dev/kvm
 * that runs guests correctly yet traps every instruction: on this project's machines (a nested PVM
 * host, no vmx flag) a loop iteration takes ~0.7 µs, and a Debian kernel under `qemu -accel kvm`
 * was still in early boot after 90 s where `-accel tcg` booted it in seconds. So speed is part of
 * the proof. Python 2.7 (CentOS 7's `python`) and 3, standard library only, run with -S -E (no
 * site packages: faster, and nothing of the login's environment). Prints one line:
 * "usable <detail>" or "unusable <detail>".
 */
const PROBE_PYTHON = String.raw`
import os, sys, fcntl, struct, mmap, array, time

def done(usable, detail):
    sys.stdout.write("%s %s\n" % ("usable" if usable else "unusable", detail))
    sys.exit(0)

def attempt(what, action):
    try:
        return action()
    except (IOError, OSError) as e:
        detail = "%s failed: %s" % (what, os.strerror(e.errno) if e.errno else e)
        if e.errno == 13:
            import pwd
            detail += " (as user %s)" % pwd.getpwuid(os.getuid()).pw_name
        done(False, detail)

kvm = attempt("opening /dev/kvm read-write", lambda: os.open("/dev/kvm", os.O_RDWR))
api = attempt("KVM_GET_API_VERSION", lambda: fcntl.ioctl(kvm, 0xAE00, 0))
if api != 12:
    done(False, "KVM_GET_API_VERSION returned %d, not 12" % api)
if attempt("KVM_CHECK_EXTENSION", lambda: fcntl.ioctl(kvm, 0xAE03, 3)) <= 0:
    done(False, "KVM_CAP_USER_MEMORY is missing")
vm = attempt("KVM_CREATE_VM", lambda: fcntl.ioctl(kvm, 0xAE01, 0))
try:
    import ctypes
except ImportError:
    done(False, "a VM can be created, but this python has no ctypes to run a test guest")

# 2 MB of guest memory: code at 0x1000, page tables at 0x2000-0x4000 mapping it 1:1 as one large page.
memory = mmap.mmap(-1, 0x200000)
memory[0x1000:0x1006] = b"\x48\xff\xc9\x75\xfb\xf4"
for offset, entry in ((0x2000, 0x3007), (0x3000, 0x4007), (0x4000, 0x87)):
    memory[offset:offset + 8] = struct.pack("=Q", entry)
address = ctypes.addressof(ctypes.c_char.from_buffer(memory))
region = struct.pack("=IIQQQ", 0, 0, 0, 0x200000, address)
attempt("KVM_SET_USER_MEMORY_REGION", lambda: fcntl.ioctl(vm, 0x4020AE46, region))
vcpu = attempt("KVM_CREATE_VCPU", lambda: fcntl.ioctl(vm, 0xAE41, 0))
size = attempt("KVM_GET_VCPU_MMAP_SIZE", lambda: fcntl.ioctl(kvm, 0xAE04, 0))
run = attempt("mapping the vcpu", lambda: mmap.mmap(vcpu, size, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE))

# 64-bit long mode, as a guest kernel runs: paging on, flat code and data segments.
sregs = array.array("B", [0] * 312)
attempt("KVM_GET_SREGS", lambda: fcntl.ioctl(vcpu, 0x8138AE83, sregs, True))
def segment(offset, selector, kind, long_mode):
    struct.pack_into("=QIH10B", sregs, offset, 0, 0xFFFFFFFF, selector, kind, 1, 0, 1 - long_mode, 1, long_mode, 1, 0, 0, 0)
segment(0, 8, 11, 1)
for offset in (24, 48, 72, 96, 120):
    segment(offset, 16, 3, 0)
struct.pack_into("=QQQQQQ", sregs, 224, 0x80050033, 0, 0x2000, 0x20, 0, 0x500)
attempt("KVM_SET_SREGS", lambda: fcntl.ioctl(vcpu, 0x4138AE84, sregs.tostring() if sys.version_info[0] < 3 else sregs.tobytes()))

def guest_loop(iterations):
    regs = array.array("B", [0] * 144)
    struct.pack_into("=Q", regs, 16, iterations)
    struct.pack_into("=QQ", regs, 128, 0x1000, 2)
    attempt("KVM_SET_REGS", lambda: fcntl.ioctl(vcpu, 0x4090AE82, regs.tostring() if sys.version_info[0] < 3 else regs.tobytes()))
    started = time.time()
    attempt("KVM_RUN", lambda: fcntl.ioctl(vcpu, 0xAE80, 0))
    elapsed = time.time() - started
    reason = struct.unpack("=I", run[8:12])[0]
    if reason != 5:
        names = {0: "UNKNOWN", 8: "SHUTDOWN", 9: "FAIL_ENTRY", 17: "INTERNAL_ERROR"}
        done(False, "the test guest stopped with exit reason %d (%s), not HLT" % (reason, names.get(reason, "?")))
    return elapsed * 1000

guest_loop(1)
ITERATIONS, MAX_MS = int(sys.argv[1]), float(sys.argv[2])
# The best of three: one slow run may be this host being busy; three are the guest's own speed.
best = guest_loop(ITERATIONS)
for _ in range(2):
    if best < MAX_MS:
        break
    best = min(best, guest_loop(ITERATIONS))
if best < MAX_MS:
    done(True, "a test guest ran at hardware speed (%d loop iterations in %.2f ms)" % (ITERATIONS, best))
done(False, "a test guest runs, but at emulation speed (%d loop iterations took %.0f ms; hardware virtualisation needs under %d ms)" % (ITERATIONS, best, MAX_MS))
`;

/** Shell that sets $py to the host's python (python3, CentOS 7's python, RHEL 8's platform-python), or to "". */
export const FIND_PYTHON = "py=$(command -v python3 || command -v python || command -v /usr/libexec/platform-python || true)";

/**
 * The probe as one shell command, run with the python in $py; prints its verdict line, or what
 * went wrong. Its python never reads stdin (a script may travel there).
 */
export function kvmProbeCommand(): string {
  return `timeout ${KVM_PROBE_TIMEOUT_S} "$py" -S -E -c ${shellQuote(PROBE_PYTHON)} ${KVM_PROBE_ITERATIONS} ${KVM_PROBE_MAX_MS} </dev/null`;
}

/**
 * Shell lines that set $SP_HOST_VIRT_TYPE when nothing set it (the host was never checked): the
 * same probe and the same rule as the host check's (kvm only where a test guest ran on /dev/kvm at
 * hardware speed, else qemu), run on the host itself when the step runs.
 */
export function decideVirtTypeLines(): string[] {
  return [
    'if [ -z "${SP_HOST_VIRT_TYPE:-}" ]; then',
    "  SP_HOST_VIRT_TYPE=qemu",
    `  if [ -e /dev/kvm ]; then ${FIND_PYTHON}; if [ -n "$py" ]; then sp_kvm_verdict=$(${kvmProbeCommand()} 2>/dev/null || true); fi; fi`,
    '  case "${sp_kvm_verdict:-}" in "usable "*) SP_HOST_VIRT_TYPE=kvm ;; esac',
    "fi",
  ];
}
