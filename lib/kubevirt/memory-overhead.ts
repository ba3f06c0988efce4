// What virt-controller asks of the node for a VM beyond its guest: the launcher pod's memory overhead and CPU request,
// as KubeVirt v1.6.0 computes them. The portal predicts a VM's quota use with it and the sandbox's virt-controller
// renders its launcher pods with it, so the prediction and the sandbox cannot drift apart. The sandbox imports this
// module, so it imports nothing (tests/walls.test.ts holds it to that).
//
// Source, kubevirt/kubevirt at tag v1.6.0:
//   pkg/virt-controller/services/renderresources.go  GetMemoryOverhead, lines 392-497; multiplyMemory, lines 777-783;
//                                                    WithoutDedicatedCPU, lines 129-148
//   pkg/virt-controller/services/template.go         the fixed per-process parts, lines 114-119;
//                                                    addProbeOverheads, lines 1235-1256

const Mi = 1024 ** 2;

export interface MemoryOverheadInput {
  // KubeVirt reads the VMI's memory request (domain.resources.requests.memory), which its defaults webhook fills in
  // from the guest memory; only a memoryOvercommit below 100% makes the two differ.
  guestMemoryBytes: number;
  // sockets × cores × threads. Below 1 counts as 1, as KubeVirt does for a VMI without a topology.
  vcpus: number;
  // spec.architecture, or the cluster's when the VMI leaves it unset; only arm64 changes the sum.
  arch?: string;
  // devices.autoattachGraphicsDevice; unset means attached.
  graphicsDevice?: boolean;
  // Host devices, GPUs or SR-IOV interfaces (KubeVirt's IsVFIOVMI): VFIO pins all guest memory plus MMIO space.
  vfio?: boolean;
  // A downwardMetrics volume: a memory-backed emptyDir.
  downwardMetricsVolume?: boolean;
  execLivenessProbe?: boolean;
  execReadinessProbe?: boolean;
  // domain.launchSecurity.sev.
  sev?: boolean;
  // devices.tpm present and not disabled: a swtpm process.
  tpm?: boolean;
  // cpu.dedicatedCpuPlacement, or CPU and memory requests equal to their limits (Guaranteed QoS wanted).
  dedicatedCpuOrGuaranteedQos?: boolean;
  // The KubeVirt CR's spec.configuration.additionalGuestMemoryOverheadRatio, as written.
  additionalOverheadRatio?: string;
}

// virt-launcher-monitor 25Mi, virt-launcher 100Mi, virtlogd 25Mi, virtqemud 40Mi, qemu 30Mi (template.go 115-119).
const fixedProcesses = (25 + 100 + 25 + 40 + 30) * Mi;

// Go's strconv.ParseFloat for the decimal forms a ratio is written in; anything else is an error there, and an error
// leaves the overhead unmultiplied (renderresources.go 484-494).
const goFloat = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

// resource.Quantity.ScaledValue(resource.Kilo): thousands, rounded up.
const kilo = (bytes: number) => Math.ceil(bytes / 1000);

/** Bytes virt-controller adds to a launcher pod's memory request on top of the VMI's (GetMemoryOverhead). */
export function launcherMemoryOverheadBytes(input: MemoryOverheadInput): number {
  // Page tables: one byte per 512 bytes of the request, taken after rounding the request up to whole kilobytes.
  let overhead = Math.floor((kilo(Math.max(0, input.guestMemoryBytes)) * 1000) / 512);
  overhead += fixedProcesses;
  // 8Mi per vCPU, plus a static 8Mi for the IOThread.
  overhead += 8 * Mi * Math.max(1, Math.floor(input.vcpus));
  overhead += 8 * Mi;
  if (input.graphicsDevice !== false) overhead += 32 * Mi;
  // UEFI on aarch64: two 64Mi pflash devices.
  if (input.arch === 'arm64') overhead += 128 * Mi;
  if (input.vfio) overhead += 1024 * Mi;
  if (input.downwardMetricsVolume) overhead += 1 * Mi;
  if (input.execLivenessProbe) overhead += 10 * Mi;
  if (input.execReadinessProbe) overhead += 10 * Mi;
  if (input.execLivenessProbe || input.execReadinessProbe) overhead += 100 * Mi;
  if (input.sev) overhead += 256 * Mi;
  if (input.tpm) overhead += 53 * Mi;
  if (input.dedicatedCpuOrGuaranteedQos) overhead += 100 * Mi;

  const ratioText = input.additionalOverheadRatio;
  if (ratioText !== undefined && ratioText !== '' && goFloat.test(ratioText)) {
    // multiplyMemory: the extra part is computed in whole kilobytes and truncated as Go's int64() truncates.
    overhead += Math.trunc(kilo(overhead) * (Number(ratioText) - 1)) * 1000;
  }
  return overhead;
}

/**
 * Millicores a launcher pod requests for its vCPUs without dedicated CPUs: vCPUs divided by the cluster's
 * cpuAllocationRatio (WithoutDedicatedCPU). Go renders the quotient as a quantity, which keeps at most three decimals
 * and rounds up; 0 when KubeVirt sets no request (no vCPUs or a ratio below 1).
 */
export function launcherCpuRequestMillis(vcpus: number, cpuAllocationRatio = 10): number {
  if (vcpus <= 0 || cpuAllocationRatio <= 0) return 0;
  return Math.ceil((vcpus * 1000) / cpuAllocationRatio);
}
