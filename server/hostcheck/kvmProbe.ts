import { FIND_PYTHON, kvmProbeCommand } from "@/lib/hostcheck/kvmProbe";

export { KVM_PROBE_ITERATIONS, KVM_PROBE_MAX_MS, KVM_PROBE_TIMEOUT_S } from "@/lib/hostcheck/kvmProbe";

/**
 * The host check's virtualisation sections: the CPU's flag and nested setting as context, then
 * the probe's verdict. Its python never reads stdin (the rest of the script travels there).
 */
export function virtualizationLines(): string[] {
  const python = `${kvmProbeCommand()} 2>&1 | tail -n 3; echo "exit \${PIPESTATUS[0]}"`;
  return [
    "section virt-cpu-flag; grep -o -w -m 1 -E 'vmx|svm' /proc/cpuinfo 2>/dev/null | head -n 1",
    "section virt-nested; cat /sys/module/kvm_intel/parameters/nested /sys/module/kvm_amd/parameters/nested 2>/dev/null | head -n 1",
    "section kvm-probe; if [ ! -e /dev/kvm ]; then echo no-device;" +
      ` else ${FIND_PYTHON};` +
      ` if [ -z "$py" ]; then echo no-python; else ${python}; fi; fi`,
  ];
}
