import { describe, expect, it } from 'vitest';
import { quotaOption, quotaUnit, typicalOverhead, usageLines, usedShare } from './quota-usage';

const Gi = 1024 ** 3;
const Mi = 1024 ** 2;

describe('quotaUnit', () => {
  it('counts CPU in cores, memory and storage in bytes, the rest as counts', () => {
    for (const r of ['cpu', 'requests.cpu', 'limits.cpu']) expect(quotaUnit(r), r).toBe('cores');
    for (const r of ['memory', 'requests.memory', 'limits.memory', 'requests.storage', 'ephemeral-storage', 'requests.ephemeral-storage', 'gold.storageclass.storage.k8s.io/requests.storage', 'requests.hugepages-2Mi']) {
      expect(quotaUnit(r), r).toBe('bytes');
    }
    for (const r of ['pods', 'count/pods', 'persistentvolumeclaims', 'gold.storageclass.storage.k8s.io/persistentvolumeclaims', 'count/virtualmachines.kubevirt.io', 'requests.nvidia.com/gpu', 'services']) {
      expect(quotaUnit(r), r).toBe('count');
    }
  });
});

describe('usageLines', () => {
  // The sandbox's team quota (sandbox/launcher/seed.ts) after one small VM started.
  const teamQuota = quotaOption({
    metadata: { name: 'team-quota' },
    status: {
      hard: { 'count/virtualmachines.kubevirt.io': '20', persistentvolumeclaims: '20', 'requests.cpu': '16', 'requests.memory': '32Gi', 'requests.storage': '500Gi' },
      used: { 'count/virtualmachines.kubevirt.io': '1', persistentvolumeclaims: '1', 'requests.cpu': '105m', 'requests.memory': '445645056', 'requests.storage': '1Gi' },
    },
  });

  it('reads status, CPU and memory first, with the quota\'s own texts', () => {
    const lines = usageLines([teamQuota]);
    expect(lines.map((l) => l.resource)).toEqual(['requests.cpu', 'requests.memory', 'requests.storage', 'count/virtualmachines.kubevirt.io', 'persistentvolumeclaims']);
    expect(lines[0]).toEqual({ quota: 'team-quota', resource: 'requests.cpu', unit: 'cores', used: 0.105, hard: 16, usedText: '105m', hardText: '16' });
    expect(lines[1]).toMatchObject({ unit: 'bytes', used: 445645056, hard: 32 * Gi });
  });

  it('takes nothing used as 0 and leaves out a limit that is not a quantity', () => {
    expect(usageLines([{ name: 'q', hard: { pods: '10', odd: 'lots' }, used: {} }])).toEqual([{ quota: 'q', resource: 'pods', unit: 'count', used: 0, hard: 10, usedText: '0', hardText: '10' }]);
    expect(quotaOption({ metadata: { name: 'fresh' } })).toEqual({ name: 'fresh', hard: {}, used: {} });
  });

  it('shares', () => {
    expect(usedShare(1, 4)).toBe(0.25);
    expect(usedShare(0, 0)).toBe(0);
    expect(usedShare(1, 0)).toBe(Infinity);
  });
});

describe('typicalOverhead', () => {
  it('is the launcher overhead of 1 vCPU and 4 GiB (kubevirt v1.6.0, worked out in quota-impact.test.ts)', () => {
    expect(typicalOverhead()).toEqual({ vcpus: 1, guestMemoryBytes: 4 * Gi, overheadBytes: 8388609 + 268 * Mi });
  });
});
