import { describe, expect, it } from 'vitest';
import { launcherCpuRequestMillis, launcherMemoryOverheadBytes } from './memory-overhead';

const Mi = 1024 ** 2;

// Both expectations are worked out by hand from kubevirt/kubevirt v1.6.0, pkg/virt-controller/services/
// renderresources.go GetMemoryOverhead (lines 392-497) and template.go (the fixed parts, lines 114-119; probes,
// lines 1235-1256), not from this module.
describe('launcherMemoryOverheadBytes', () => {
  it('a 128Mi, one-vCPU amd64 guest with the default graphics device', () => {
    // Page tables (lines 399-401): ScaledValue(Kilo) of 134217728 rounds up to 134218; 134218000 / 512 = 262144.
    // Fixed parts (406-410): 25 + 100 + 25 + 40 + 30 = 220Mi. One vCPU (414-436): 8Mi. IOThread (439): 8Mi.
    // Video RAM (442-444): 32Mi. Total: 268Mi + 262144 bytes.
    expect(launcherMemoryOverheadBytes({ guestMemoryBytes: 128 * Mi, vcpus: 1, arch: 'amd64' })).toBe(268 * Mi + 262144);
  });

  it('a 2Gi, four-vCPU arm64 guest with SR-IOV, a TPM, an exec liveness probe, no graphics and a 1.5 ratio', () => {
    // Page tables: ceil(2147483648 / 1000) = 2147484; 2147484000 / 512 = 4194304.6875, truncated to 4194304 (4Mi).
    // 220Mi fixed + 4 × 8Mi vCPUs + 8Mi IOThread, no video (autoattachGraphicsDevice false), 128Mi arm64 pflash
    // (449-451), 1Gi VFIO for the SR-IOV interface (456-458), probes 10Mi + 100Mi (template.go 1235-1256), TPM 53Mi
    // (476-478): 1579Mi = 1655701504 bytes.
    // Ratio (484-494, multiplyMemory 777-783): ScaledValue(Kilo) = 1655702; × 0.5 = 827851 kB = 827851000 bytes.
    const bytes = launcherMemoryOverheadBytes({
      guestMemoryBytes: 2 * 1024 * Mi,
      vcpus: 4,
      arch: 'arm64',
      graphicsDevice: false,
      vfio: true,
      tpm: true,
      execLivenessProbe: true,
      additionalOverheadRatio: '1.5',
    });
    expect(bytes).toBe(1655701504 + 827851000);
  });

  it('counts a VMI without vCPUs as one and ignores a ratio Go cannot parse', () => {
    const one = launcherMemoryOverheadBytes({ guestMemoryBytes: 128 * Mi, vcpus: 1 });
    expect(launcherMemoryOverheadBytes({ guestMemoryBytes: 128 * Mi, vcpus: 0 })).toBe(one);
    expect(launcherMemoryOverheadBytes({ guestMemoryBytes: 128 * Mi, vcpus: 1, additionalOverheadRatio: 'x1.5' })).toBe(one);
    // A ratio of 2 adds the overhead once more, in whole kilobytes rounded up: 281280512 → 281281000.
    expect(launcherMemoryOverheadBytes({ guestMemoryBytes: 128 * Mi, vcpus: 1, additionalOverheadRatio: '2' })).toBe(one + 281281000);
  });

  it('adds 100Mi for dedicated CPUs and 256Mi for SEV', () => {
    const base = launcherMemoryOverheadBytes({ guestMemoryBytes: Mi * 1024, vcpus: 2 });
    expect(launcherMemoryOverheadBytes({ guestMemoryBytes: Mi * 1024, vcpus: 2, dedicatedCpuOrGuaranteedQos: true }) - base).toBe(100 * Mi);
    expect(launcherMemoryOverheadBytes({ guestMemoryBytes: Mi * 1024, vcpus: 2, sev: true }) - base).toBe(256 * Mi);
  });
});

describe('launcherCpuRequestMillis', () => {
  it('divides vCPUs by the allocation ratio, rounding up to a millicore', () => {
    expect(launcherCpuRequestMillis(1)).toBe(100);
    expect(launcherCpuRequestMillis(4)).toBe(400);
    expect(launcherCpuRequestMillis(11)).toBe(1100);
    // 3/7 renders as "428.57142857142855m", which a quantity rounds up.
    expect(launcherCpuRequestMillis(3, 7)).toBe(429);
    expect(launcherCpuRequestMillis(2, 1)).toBe(2000);
    expect(launcherCpuRequestMillis(0)).toBe(0);
  });
});
