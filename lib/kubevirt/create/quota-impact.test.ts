import { describe, expect, it } from 'vitest';
import type { CreateOptions, QuotaOption } from '../../shared/create-api';
import { createVmForm, type CreateVmFormInput } from './form';
import { quotaImpact, type QuotaLine } from './quota-impact';

const Mi = 1024 ** 2;
const Gi = 1024 ** 3;

const form = (over: Partial<CreateVmFormInput> = {}) =>
  createVmForm.parse({
    namespace: 'team-a',
    name: 'web',
    bootSource: { kind: 'dataSource', namespace: 'os-images', name: 'fedora' },
    size: { kind: 'instancetype', instancetype: 'u1.medium' },
    rootDisk: { size: '30Gi' },
    cloudInit: { sshKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB9H/fPm4bOB06Z4T2s0agEbyUuPwwciMRlHa1lME60s me'] },
    ...over,
  });

const quota: QuotaOption = {
  name: 'team-quota',
  hard: {
    'requests.cpu': '2',
    'requests.memory': '8Gi',
    'limits.memory': '16Gi',
    pods: '4',
    'requests.storage': '100Gi',
    'standard.storageclass.storage.k8s.io/requests.storage': '50Gi',
    persistentvolumeclaims: '5',
    'count/virtualmachines.kubevirt.io': '2',
    'count/secrets': '10',
    services: '3',
  },
  used: { 'requests.cpu': '1900m', 'requests.memory': '2Gi', pods: '1', 'requests.storage': '10Gi', 'count/virtualmachines.kubevirt.io': '1' },
};

const options = (quotas: QuotaOption[] = [quota]): Pick<CreateOptions, 'instancetypes' | 'quotas' | 'dataSources' | 'pvcs' | 'storageClasses'> => ({
  instancetypes: [{ name: 'u1.medium', series: 'u1', size: 'medium', cpu: 1, memory: '4Gi' }],
  quotas,
  dataSources: [{ namespace: 'os-images', name: 'fedora', size: '5Gi', ready: true }],
  pvcs: [],
  storageClasses: [
    { name: 'standard', isDefault: true, provisioner: 'x', accessModes: ['ReadWriteOnce'], volumeModes: ['Filesystem'], snapshots: false, expansion: false, bindingMode: 'Immediate' },
    { name: 'raw', isDefault: false, provisioner: 'y', accessModes: ['ReadWriteOnce'], volumeModes: ['Block'], snapshots: false, expansion: false, bindingMode: 'Immediate' },
  ],
});

const line = (lines: QuotaLine[], resource: string) => lines.find((l) => l.resource === resource);

// Worked out by hand for u1.medium (1 vCPU, 4Gi) from kubevirt v1.6.0:
// overhead = page tables ceil(4294967296 / 1000) × 1000 / 512 = 8388609 (truncated) + 220Mi fixed + 8Mi vCPU
//            + 8Mi IOThread + 32Mi video = 8388609 + 268Mi;
// compute container: 4Gi + overhead; guest-console-log sidecar: 35M requests, 60M limits; 5m CPU beside 100m.
const computeMemory = 4 * Gi + 8388609 + 268 * Mi;
// CDI v1.62: a 30Gi Filesystem claim asks ceil(30Gi / (1 - 0.055)).
const rootClaim = Math.ceil((30 * Gi) / 0.945);

describe('quotaImpact of a VM that starts', () => {
  const { lines, fits } = quotaImpact(form(), options());

  it('charges the launcher pod: CPU and memory requests with the overhead and the console-log sidecar', () => {
    expect(line(lines, 'requests.cpu')).toEqual({ quota: 'team-quota', resource: 'requests.cpu', adds: 0.105, used: 1.9, hard: 2, unit: 'cores', fits: false });
    expect(line(lines, 'requests.memory')).toEqual({
      quota: 'team-quota',
      resource: 'requests.memory',
      adds: computeMemory + 35e6,
      used: 2 * Gi,
      hard: 8 * Gi,
      unit: 'bytes',
      fits: true,
    });
    expect(line(lines, 'pods')).toMatchObject({ adds: 1, used: 1, hard: 4, unit: 'count', fits: true });
  });

  it('sets a memory limit because the quota limits limits.memory, as KubeVirt then does', () => {
    expect(line(lines, 'limits.memory')).toMatchObject({ adds: 2 * computeMemory + 60e6, used: 0, hard: 16 * Gi, fits: true });
  });

  it('charges the claims as CDI sizes them, in total and for their class', () => {
    expect(line(lines, 'requests.storage')).toMatchObject({ adds: rootClaim, used: 10 * Gi, unit: 'bytes', fits: true });
    expect(line(lines, 'standard.storageclass.storage.k8s.io/requests.storage')).toMatchObject({ adds: rootClaim, hard: 50 * Gi, fits: true });
    expect(line(lines, 'persistentvolumeclaims')).toMatchObject({ adds: 1, unit: 'count' });
  });

  it('counts the VM and its cloud-init Secret, and leaves out what the quota does not limit or the VM does not touch', () => {
    expect(line(lines, 'count/virtualmachines.kubevirt.io')).toMatchObject({ adds: 1, used: 1, hard: 2, fits: true });
    expect(line(lines, 'count/secrets')).toMatchObject({ adds: 1, used: 0, fits: true });
    expect(line(lines, 'services')).toBeUndefined();
    expect(lines.map((l) => l.resource).sort()).toEqual(Object.keys(quota.hard).filter((r) => r !== 'services').sort());
  });

  it('does not fit when one line does not', () => {
    expect(fits).toBe(false);
  });
});

describe('quotaImpact of a VM that does not start', () => {
  const { lines, fits } = quotaImpact(form({ start: false }), options());

  it('adds no pod, CPU or memory, and so fits where a started one would not', () => {
    for (const r of ['requests.cpu', 'requests.memory', 'limits.memory', 'pods']) expect(line(lines, r)?.adds, r).toBe(0);
    expect(line(lines, 'requests.cpu')?.fits).toBe(true);
    expect(fits).toBe(true);
  });

  it('still adds the VM, its claims and its Secret', () => {
    expect(line(lines, 'count/virtualmachines.kubevirt.io')?.adds).toBe(1);
    expect(line(lines, 'requests.storage')?.adds).toBe(rootClaim);
    expect(line(lines, 'count/secrets')?.adds).toBe(1);
  });

  it('counts a Halted run strategy as not started, and Manual with start as started', () => {
    expect(line(quotaImpact(form({ runStrategy: 'Halted', start: true }), options()).lines, 'pods')?.adds).toBe(0);
    expect(line(quotaImpact(form({ runStrategy: 'Manual', start: true }), options()).lines, 'pods')?.adds).toBe(1);
  });
});

describe('quotaImpact details', () => {
  const all: QuotaOption = {
    name: 'q',
    hard: {
      'requests.cpu': '10',
      'limits.cpu': '10',
      'requests.memory': '100Gi',
      'requests.storage': '1Ti',
      'raw.storageclass.storage.k8s.io/persistentvolumeclaims': '3',
      'count/datavolumes.cdi.kubevirt.io': '10',
      secrets: '10',
    },
    used: {},
  };

  it('does not grow Block claims, and counts extra disks per class', () => {
    const f = form({ rootDisk: { size: '30Gi', storageClass: 'raw' }, extraDisks: [{ name: 'data', size: '10Gi', storageClass: 'raw' }] });
    const { lines } = quotaImpact(f, options([all]));
    expect(line(lines, 'requests.storage')?.adds).toBe(40 * Gi);
    expect(line(lines, 'raw.storageclass.storage.k8s.io/persistentvolumeclaims')?.adds).toBe(2);
    expect(line(lines, 'count/datavolumes.cdi.kubevirt.io')?.adds).toBe(2);
  });

  it('sets a CPU limit of whole vCPUs when a quota limits limits.cpu, and takes a custom size and a container disk', () => {
    const f = form({ size: { kind: 'custom', cpu: 3, memory: '2Gi' }, bootSource: { kind: 'containerDisk', image: 'quay.io/disk:1' }, cloudInit: { sshKeys: [] } });
    const { lines } = quotaImpact(f, options([all]));
    // 300m for the vCPUs, 5m for the console log, 1m for the container disk's container.
    expect(line(lines, 'requests.cpu')?.adds).toBe(0.306);
    expect(line(lines, 'limits.cpu')?.adds).toBe(3.025);
    // 2Gi guest + page tables ceil(2147483648 / 1000) × 1000 / 512 = 4194304 + 220Mi + 3 × 8Mi + 8Mi + 32Mi.
    expect(line(lines, 'requests.memory')?.adds).toBe(2 * Gi + 4194304 + 284 * Mi + 35e6 + 1e6);
    expect(line(lines, 'requests.storage')?.adds).toBe(0);
    expect(line(lines, 'secrets')?.adds).toBe(0);
  });

  it('follows the cluster: memory overcommit, no console log, the allocation ratio', () => {
    const f = form({ size: { kind: 'custom', cpu: 2, memory: '4Gi' } });
    const { lines } = quotaImpact(f, options([all]), { memoryOvercommit: 150, serialConsoleLog: false, cpuAllocationRatio: 4 });
    // The request is 4Gi × 100 / 150 = 2863311530; page tables ceil(2863311.53) × 1000 / 512 = 5592406 (truncated).
    expect(line(lines, 'requests.memory')?.adds).toBe(2863311530 + 5592406 + 276 * Mi);
    expect(line(lines, 'requests.cpu')?.adds).toBe(0.5);
  });

  it('adds a gibibyte of locked memory for an SR-IOV interface', () => {
    const plain = line(quotaImpact(form(), options([all])).lines, 'requests.memory')!.adds;
    const sriov = form({ networks: [{ name: 'vf', source: { kind: 'multus', networkName: 'vf' }, binding: 'sriov' }] });
    expect(line(quotaImpact(sriov, options([all])).lines, 'requests.memory')!.adds - plain).toBe(Gi);
  });
});
