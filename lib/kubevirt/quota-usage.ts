import type { QuotaOption } from '../shared/create-api';
import { launcherMemoryOverheadBytes } from './memory-overhead';
import { parseQuantity } from './quantity';

// A namespace's ResourceQuotas as numbers, read one way for everyone who shows them: the create wizard's options
// (lib/k8s/create-options.ts), its quota impact (create/quota-impact.ts) and the developers' quota panel
// (components/quota/) all go through quotaOption and quotaUnit.

export type QuotaUnit = 'bytes' | 'cores' | 'count';

/**
 * How a quota resource is counted: CPU in cores, memory and storage in bytes, everything else (objects, pods, device
 * plugin resources) as a count. "gold.storageclass.storage.k8s.io/requests.storage" is storage, "count/pods" a count.
 */
export function quotaUnit(resource: string): QuotaUnit {
  const last = resource.slice(resource.lastIndexOf('/') + 1);
  const base = last.replace(/^(requests|limits)\./, '');
  if (base === 'cpu') return 'cores';
  if (base === 'memory' || base === 'storage' || base === 'ephemeral-storage' || base.startsWith('hugepages-')) return 'bytes';
  return 'count';
}

export interface ResourceQuotaLike {
  metadata?: { name?: string };
  status?: { hard?: Record<string, string>; used?: Record<string, string> };
}

/** A ResourceQuota as the portal reads it: what the quota controller last counted (status), not spec. */
export function quotaOption(q: ResourceQuotaLike): QuotaOption {
  return { name: q.metadata?.name ?? '', hard: q.status?.hard ?? {}, used: q.status?.used ?? {} };
}

export interface UsageLine {
  quota: string;
  resource: string;
  unit: QuotaUnit;
  used: number;
  hard: number;
  // As the quota states them, for anyone comparing with kubectl.
  usedText: string;
  hardText: string;
}

// The resources a VM's owner watches first; the rest follow in name order.
const FIRST = ['requests.cpu', 'cpu', 'requests.memory', 'memory', 'limits.cpu', 'limits.memory', 'requests.storage', 'count/virtualmachines.kubevirt.io', 'pods', 'count/pods'];
const rank = (r: string) => (FIRST.includes(r) ? FIRST.indexOf(r) : FIRST.length);

/** Every limited resource of every quota with what is used of it. A limit that is not a quantity is left out. */
export function usageLines(quotas: readonly QuotaOption[]): UsageLine[] {
  return [...quotas]
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((q) =>
      Object.keys(q.hard)
        .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
        .flatMap((resource) => {
          const hard = parseQuantity(q.hard[resource]);
          if (hard === undefined) return [];
          const usedText = q.used[resource] ?? '0';
          return [{ quota: q.name, resource, unit: quotaUnit(resource), used: parseQuantity(usedText) ?? 0, hard, usedText, hardText: q.hard[resource]! }];
        }),
    );
}

/** used / hard, for a bar and a percentage; a zero limit is full as soon as anything is used. */
export function usedShare(used: number, hard: number): number {
  if (hard > 0) return used / hard;
  return used > 0 ? Infinity : 0;
}

// u1.medium of the common instance types: one vCPU and 4 GiB, a size most teams start from.
export const TYPICAL_VM = { vcpus: 1, memoryBytes: 4 * 1024 ** 3 } as const;

/** What KubeVirt's launcher adds to the memory request of a typical VM beyond its guest memory. */
export function typicalOverhead(): { vcpus: number; guestMemoryBytes: number; overheadBytes: number } {
  return {
    vcpus: TYPICAL_VM.vcpus,
    guestMemoryBytes: TYPICAL_VM.memoryBytes,
    overheadBytes: launcherMemoryOverheadBytes({ guestMemoryBytes: TYPICAL_VM.memoryBytes, vcpus: TYPICAL_VM.vcpus }),
  };
}
