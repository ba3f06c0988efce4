import { describe, expect, it } from 'vitest';
import type { V1VirtualMachine } from '@kubevirt-ui-ext/kubevirt-api/kubevirt';
import { buildManifests } from './builders';
import { createVmForm, type CreateVmFormInput } from './form';
import { defaultRootDiskSize, formFromVm } from './from-vm';

const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB9H/fPm4bOB06Z4T2s0agEbyUuPwwciMRlHa1lME60s me';

const form = (over: Partial<CreateVmFormInput> = {}) =>
  createVmForm.parse({
    namespace: 'team-a',
    name: 'web',
    bootSource: { kind: 'dataSource', namespace: 'os-images', name: 'fedora' },
    size: { kind: 'instancetype', instancetype: 'u1.medium', preference: 'fedora' },
    rootDisk: { size: '30Gi' },
    ...over,
  });

// The copy under the original's name, so its manifests can be compared with the original's.
const again = (vm: V1VirtualMachine, name: string) => buildManifests(createVmForm.parse({ ...formFromVm(vm), name })).vm;

const roundTrips: [string, Partial<CreateVmFormInput>][] = [
  ['a DataSource clone with an instancetype and a preference', {}],
  ['storage class, access mode and volume mode', { rootDisk: { size: '40Gi', storageClass: 'fast', accessMode: 'ReadWriteMany', volumeMode: 'Block' } }],
  ['a custom size with a preference', { size: { kind: 'custom', cpu: 4, memory: '8Gi', preference: 'fedora' } }],
  ['an http import', { bootSource: { kind: 'http', url: 'https://images.example.com/f.qcow2' } }],
  ['a PVC clone', { bootSource: { kind: 'pvc', namespace: 'images', name: 'golden' } }],
  ['a container disk', { bootSource: { kind: 'containerDisk', image: 'quay.io/containerdisks/fedora:40' } }],
  ['extra disks', { extraDisks: [{ name: 'data', size: '100Gi', storageClass: 'bulk' }, { name: 'logs', size: '5Gi', volumeMode: 'Block' }] }],
  ['no network', { networks: [] }],
  [
    'secondary networks',
    {
      networks: [
        { name: 'default', source: { kind: 'pod' }, binding: 'bridge' },
        { name: 'storage', source: { kind: 'multus', networkName: 'infra/storage' }, binding: 'sriov' },
        { name: 'lan', source: { kind: 'multus', networkName: 'lan' }, binding: 'bridge' },
      ],
    },
  ],
  ['a VM that is not started', { start: false }],
  ['RerunOnFailure', { runStrategy: 'RerunOnFailure' }],
  ['Manual, started', { runStrategy: 'Manual', start: true }],
  ['Manual, not started', { runStrategy: 'Manual', start: false }],
  ['labels', { labels: { team: 'web', 'example.com/tier': 'front' } }],
];

describe('formFromVm round trip', () => {
  for (const [what, over] of roundTrips) {
    it(`keeps the spec: ${what}`, () => {
      const vm = buildManifests(form(over)).vm;
      const copy = again(vm, 'web');
      expect(copy.spec).toEqual(vm.spec);
      expect(copy.metadata).toEqual(vm.metadata);
    });
  }

  it('keeps everything but the cloud-init of a VM that had one', () => {
    const vm = buildManifests(form({ cloudInit: { sshKeys: [key], user: 'dev', password: 'hunter2', userData: 'packages: [vim]\n' } })).vm;
    const copy = again(vm, 'web');
    const withoutCloudInit = structuredClone(vm.spec);
    const tpl = withoutCloudInit.template.spec!;
    tpl.volumes = tpl.volumes!.filter((v) => v.name !== 'cloudinitdisk');
    tpl.domain.devices.disks = tpl.domain.devices.disks!.filter((d) => d.name !== 'cloudinitdisk');
    expect(copy.spec).toEqual(withoutCloudInit);
  });
});

describe('formFromVm', () => {
  it('suggests a new name in the same namespace', () => {
    const f = formFromVm(buildManifests(form()).vm);
    expect(f.name).toBe('web-copy');
    expect(f.namespace).toBe('team-a');
    const long = formFromVm(buildManifests(form({ name: `${'a'.repeat(60)}-b` })).vm);
    expect(long.name).toBe(`${'a'.repeat(58)}-copy`);
    expect(createVmForm.shape.name.safeParse(long.name).success).toBe(true);
  });

  it('never copies keys, users, passwords or user-data', () => {
    const vm = buildManifests(form({ cloudInit: { sshKeys: [key], user: 'dev', password: 'hunter2', userData: 'packages: [vim]\n' } })).vm;
    const f = formFromVm(vm);
    expect(f.cloudInit).toEqual({ sshKeys: [] });
    expect(JSON.stringify(f)).not.toContain('hunter2');
  });

  it('reads a VM written by hand: running, CPU topology, memory request, auto-attached pod network', () => {
    const vm: V1VirtualMachine = {
      apiVersion: 'kubevirt.io/v1',
      kind: 'VirtualMachine',
      metadata: { name: 'legacy', namespace: 'team-b', labels: { 'kubevirt.io/os': 'linux', 'vm.kubevirt.io/template': 'x', owner: 'ops' } },
      spec: {
        running: true,
        template: {
          spec: {
            domain: {
              cpu: { sockets: 2, cores: 2 },
              resources: { requests: { memory: '1e9' } },
              devices: { disks: [{ name: 'containerdisk', disk: { bus: 'virtio' } }, { name: 'cloudinit', disk: { bus: 'virtio' } }] },
            },
            volumes: [
              { name: 'containerdisk', containerDisk: { image: 'quay.io/containerdisks/tinylinux:1.0' } },
              { name: 'cloudinit', cloudInitNoCloud: { userData: '#cloud-config\npassword: secret\n' } },
            ],
          },
        },
      },
    };
    const f = formFromVm(vm);
    expect(f).toEqual({
      namespace: 'team-b',
      name: 'legacy-copy',
      bootSource: { kind: 'containerDisk', image: 'quay.io/containerdisks/tinylinux:1.0' },
      rootDisk: { size: defaultRootDiskSize },
      size: { kind: 'custom', cpu: 4, memory: '1000000000' },
      extraDisks: [],
      cloudInit: { sshKeys: [] },
      networks: [{ name: 'default', source: { kind: 'pod' }, binding: 'masquerade' }],
      runStrategy: 'Always',
      start: true,
      labels: { owner: 'ops' },
    });
    expect(createVmForm.safeParse(f).success).toBe(true);
  });

  it('clones the claim a VM boots from when its source cannot be made again, and maps Halted and Once', () => {
    const vm: V1VirtualMachine = {
      metadata: { name: 'db', namespace: 'team-a' },
      spec: {
        runStrategy: 'Once',
        template: {
          spec: {
            domain: { devices: { disks: [{ name: 'os', bootOrder: 1, disk: {} }], interfaces: [{ name: 'default', passtBinding: {} }] } },
            networks: [{ name: 'default', pod: {} }],
            volumes: [{ name: 'os', persistentVolumeClaim: { claimName: 'db-os' } }],
          },
        },
      },
    };
    const f = formFromVm(vm);
    expect(f.bootSource).toEqual({ kind: 'pvc', namespace: 'team-a', name: 'db-os' });
    expect(f.networks).toEqual([{ name: 'default', source: { kind: 'pod' }, binding: 'masquerade' }]);
    expect([f.runStrategy, f.start]).toEqual(['Manual', true]);
    expect(formFromVm({ ...vm, spec: { ...vm.spec, runStrategy: 'Halted' } })).toMatchObject({ runStrategy: 'Always', start: false });
  });
});
