import { describe, expect, it } from 'vitest';
import { clusterConfigFromKubeVirt } from '../webhooks/cluster-config.ts';
import { FieldPath, type Obj } from '../webhooks/util.ts';
import { applyToVmiSpec, checkPreferenceRequirements, checkSpreadCPUTopology, conflictsError, expandVirtualMachine } from './expand.ts';

const vm = (template: Obj = {}, spec: Obj = {}): Obj => ({
  apiVersion: 'kubevirt.io/v1',
  kind: 'VirtualMachine',
  metadata: { name: 'vm1', namespace: 'default' },
  spec: {
    runStrategy: 'Always',
    instancetype: { name: 'u1.large', kind: 'VirtualMachineClusterInstancetype' },
    preference: { name: 'tinylinux', kind: 'VirtualMachineClusterPreference' },
    template: {
      metadata: { labels: { 'kubevirt.io/vm': 'vm1' } },
      spec: {
        domain: { devices: { disks: [{ name: 'containerdisk' }] } },
        volumes: [{ name: 'containerdisk', containerDisk: { image: 'quay.io/containerdisks/tinylinux:1.0' } }],
        ...template,
      },
    },
    ...spec,
  },
  status: { instancetypeRef: { name: 'u1.large' }, preferenceRef: { name: 'tinylinux' }, printableStatus: 'Stopped' },
});

const u1large = { cpu: { guest: 2 }, memory: { guest: '8Gi' } };
const tinylinux = { devices: { preferredDiskBus: 'virtio', preferredInterfaceModel: 'virtio' } };

describe('expandVirtualMachine', () => {
  it('returns a VM without matchers unchanged', () => {
    const plain = vm({}, { instancetype: undefined, preference: undefined });
    delete plain.spec.instancetype;
    delete plain.spec.preference;
    expect(expandVirtualMachine(plain, u1large, tinylinux).vm).toBe(plain);
  });

  it('applies the instancetype and preference, sets the defaults and drops the matchers', () => {
    const input = vm();
    const { vm: out, conflicts } = expandVirtualMachine(input, u1large, tinylinux);
    expect(conflicts).toEqual([]);
    expect(out).toEqual({
      apiVersion: 'kubevirt.io/v1',
      kind: 'VirtualMachine',
      metadata: { name: 'vm1', namespace: 'default' },
      spec: {
        runStrategy: 'Always',
        template: {
          metadata: { labels: { 'kubevirt.io/vm': 'vm1' } },
          spec: {
            architecture: 'amd64',
            evictionStrategy: 'None',
            domain: {
              cpu: { sockets: 2, cores: 1, threads: 1 },
              memory: { guest: '8Gi' },
              machine: { type: 'q35' },
              resources: { requests: { memory: '8Gi' } },
              devices: {
                disks: [{ name: 'containerdisk', disk: { bus: 'virtio' } }],
                interfaces: [{ name: 'default', masquerade: {}, model: 'virtio' }],
              },
            },
            networks: [{ name: 'default', pod: {} }],
            volumes: [{ name: 'containerdisk', containerDisk: { image: 'quay.io/containerdisks/tinylinux:1.0', imagePullPolicy: 'IfNotPresent' } }],
          },
        },
      },
      status: { printableStatus: 'Stopped' },
    });
    // The input is not modified.
    expect(input.spec.instancetype).toBeDefined();
    expect(input.spec.template.spec.domain.cpu).toBeUndefined();
  });

  it('uses the cluster default binding for the pod interface', () => {
    const bridge = clusterConfigFromKubeVirt({});
    const { vm: out } = expandVirtualMachine(vm(), u1large, undefined, { config: bridge });
    expect(out.spec.template.spec.domain.devices.interfaces).toEqual([{ name: 'default', bridge: {} }]);
  });

  it('reports conflicts when the VM sets what the instancetype owns', () => {
    const input = vm({ domain: { cpu: { cores: 2 }, resources: { requests: { cpu: '1' } }, memory: { guest: '1Gi' }, devices: { disks: [{ name: 'containerdisk' }] } } });
    const { vm: out, conflicts } = expandVirtualMachine(input, u1large, tinylinux);
    expect(out).toBe(input);
    expect(conflicts).toEqual([
      { field: 'spec.template.spec.domain.resources.requests.cpu', message: 'VM field(s) spec.template.spec.domain.resources.requests.cpu conflicts with selected instance type' },
      { field: 'spec.template.spec.domain.cpu.cores', message: 'VM field(s) spec.template.spec.domain.cpu.cores conflicts with selected instance type' },
      { field: 'spec.template.spec.domain.memory', message: 'VM field(s) spec.template.spec.domain.memory conflicts with selected instance type' },
    ]);
    expect(conflictsError(conflicts)).toBe(
      'VM field(s) spec.template.spec.domain.resources.requests.cpu, spec.template.spec.domain.cpu.cores, spec.template.spec.domain.memory conflicts with selected instance type',
    );
  });

  it('applies a preference alone without touching CPU or memory', () => {
    const input = vm({ domain: { devices: { disks: [{ name: 'containerdisk' }] }, resources: { requests: { memory: '256Mi' } } } });
    delete input.spec.instancetype;
    const { vm: out } = expandVirtualMachine(input, undefined, tinylinux);
    expect(out.spec.template.spec.domain.cpu).toEqual({ sockets: 1, cores: 1, threads: 1 });
    expect(out.spec.template.spec.domain.memory).toEqual({ guest: '256Mi' });
    expect(out.spec.template.spec.domain.devices.disks).toEqual([{ name: 'containerdisk', disk: { bus: 'virtio' } }]);
  });
});

describe('applyToVmiSpec: instancetype', () => {
  const apply = (it: Obj | undefined, pref: Obj | undefined, spec: Obj = {}, metadata: Obj = {}) => {
    const conflicts = applyToVmiSpec(FieldPath.of('spec'), it, pref, spec, metadata);
    return { conflicts, spec, metadata };
  };
  const cpuFor = (guest: number, pref?: Obj) => apply({ cpu: { guest }, memory: { guest: '1Gi' } }, pref).spec.domain.cpu;

  it('spreads vCPUs per the preferred topology, sockets by default', () => {
    expect(cpuFor(1, { cpu: { preferredCPUTopology: 'cores' } })).toEqual({ cores: 1, sockets: 1, threads: 1 });
    expect(cpuFor(4)).toEqual({ cores: 1, sockets: 4, threads: 1 });
    expect(cpuFor(4, { cpu: { preferredCPUTopology: 'cores' } })).toEqual({ cores: 4, sockets: 1, threads: 1 });
    expect(cpuFor(4, { cpu: { preferredCPUTopology: 'preferThreads' } })).toEqual({ cores: 1, sockets: 1, threads: 4 });
    expect(cpuFor(4, { cpu: { preferredCPUTopology: 'any' } })).toEqual({ cores: 1, sockets: 4, threads: 1 });
    expect(cpuFor(4, { cpu: { preferredCPUTopology: 'spread' } })).toEqual({ cores: 2, sockets: 2, threads: 1 });
    expect(cpuFor(8, { cpu: { preferredCPUTopology: 'spread', spreadOptions: { across: 'SocketsCoresThreads' } } })).toEqual({ cores: 2, sockets: 2, threads: 2 });
    expect(cpuFor(6, { cpu: { preferredCPUTopology: 'spread', spreadOptions: { across: 'CoresThreads', ratio: 3 } } })).toEqual({ cores: 2, sockets: 1, threads: 3 });
  });

  it('copies the CPU model, dedicated placement, NUMA and maxSockets', () => {
    const { spec } = apply({ cpu: { guest: 2, model: 'Haswell', dedicatedCPUPlacement: true, numa: { guestMappingPassthrough: {} }, maxSockets: 8 }, memory: { guest: '1Gi' } }, undefined);
    expect(spec.domain.cpu).toEqual({ model: 'Haswell', dedicatedCpuPlacement: true, numa: { guestMappingPassthrough: {} }, maxSockets: 8, cores: 1, sockets: 2, threads: 1 });
  });

  it('sets guest memory, hugepages, maxGuest and the overcommitted request', () => {
    const { spec } = apply({ cpu: { guest: 1 }, memory: { guest: '1Gi', overcommitPercent: 10, hugepages: { pageSize: '2Mi' }, maxGuest: '4Gi' } }, undefined);
    expect(spec.domain.memory).toEqual({ guest: '1Gi', hugepages: { pageSize: '2Mi' }, maxGuest: '4Gi' });
    expect(spec.domain.resources).toEqual({ requests: { memory: '966367616' } });
  });

  it('applies nodeSelector, schedulerName, ioThreadsPolicy, GPUs and annotations, with conflicts', () => {
    const it1 = {
      cpu: { guest: 1 },
      memory: { guest: '1Gi' },
      nodeSelector: { gpu: 'yes' },
      schedulerName: 'custom',
      ioThreadsPolicy: 'auto',
      gpus: [{ name: 'gpu1', deviceName: 'nvidia.com/A10' }],
      annotations: { 'example.com/team': 'a' },
    };
    const ok = apply(it1, undefined);
    expect(ok.conflicts).toEqual([]);
    expect(ok.spec).toMatchObject({ nodeSelector: { gpu: 'yes' }, schedulerName: 'custom', domain: { ioThreadsPolicy: 'auto', devices: { gpus: [{ name: 'gpu1', deviceName: 'nvidia.com/A10' }] } } });
    expect(ok.metadata).toEqual({ annotations: { 'example.com/team': 'a' } });

    const bad = apply(it1, { devices: { preferredDiskBus: 'virtio' } }, { nodeSelector: {}, schedulerName: 'x', domain: { ioThreadsPolicy: 'shared', devices: { gpus: [{ name: 'g' }], disks: [{ name: 'd' }] } } }, { annotations: { 'example.com/team': 'b' } });
    expect(bad.conflicts.map((c) => c.field)).toEqual(['spec.nodeSelector', 'spec.schedulerName', 'spec.domain.ioThreadsPolicy', 'spec.domain.devices.gpus', 'annotations.example.com/team']);
    // No preference is applied when the instancetype conflicts.
    expect(bad.spec.domain.devices.disks).toEqual([{ name: 'd' }]);
  });
});

describe('applyToVmiSpec: preference', () => {
  const apply = (pref: Obj, spec: Obj, metadata: Obj = {}) => {
    expect(applyToVmiSpec(FieldPath.of('spec'), undefined, pref, spec, metadata)).toEqual([]);
    return { spec, metadata };
  };

  it('fills in disk and interface settings only where unset', () => {
    const spec = {
      domain: {
        devices: {
          disks: [{ name: 'a' }, { name: 'b', disk: { bus: 'sata' } }, { name: 'c', cdrom: {} }, { name: 'd', lun: {} }],
          interfaces: [{ name: 'default' }, { name: 'sec', bridge: {}, model: 'e1000' }],
        },
      },
      networks: [{ name: 'default', pod: {} }, { name: 'sec', multus: { networkName: 'n' } }],
    };
    apply(
      {
        devices: {
          preferredDiskBus: 'virtio',
          preferredCdromBus: 'sata',
          preferredLunBus: 'scsi',
          preferredDiskCache: 'none',
          preferredDiskDedicatedIoThread: true,
          preferredInterfaceModel: 'virtio',
          preferredInterfaceMasquerade: {},
          preferredRng: {},
          preferredAutoattachSerialConsole: false,
        },
      },
      spec,
    );
    expect(spec.domain.devices).toEqual({
      autoattachSerialConsole: false,
      rng: {},
      disks: [
        { name: 'a', disk: { bus: 'virtio' }, cache: 'none', dedicatedIOThread: true },
        { name: 'b', disk: { bus: 'sata' }, cache: 'none' },
        { name: 'c', cdrom: { bus: 'sata' } },
        { name: 'd', lun: { bus: 'scsi' } },
      ],
      interfaces: [
        { name: 'default', model: 'virtio', masquerade: {} },
        { name: 'sec', bridge: {}, model: 'e1000' },
      ],
    });
  });

  it('applies firmware, features, machine, clock, subdomain, grace period, CPU features and annotations', () => {
    const { spec, metadata } = apply(
      {
        firmware: { preferredEfi: { secureBoot: true } },
        features: { preferredSmm: {}, preferredAcpi: {} },
        machine: { preferredMachineType: 'pc-q35-rhel9.4.0' },
        clock: { preferredClockOffset: { utc: {} }, preferredTimer: { rtc: { tickPolicy: 'catchup' } } },
        preferredSubdomain: 'lab',
        preferredTerminationGracePeriodSeconds: 30,
        cpu: { preferredCPUFeatures: [{ name: 'vmx', policy: 'require' }, { name: 'pcid' }] },
        annotations: { 'vm.kubevirt.io/os': 'linux', keep: 'pref' },
      },
      { domain: { cpu: { features: [{ name: 'pcid', policy: 'disable' }] }, devices: {} } },
      { annotations: { keep: 'mine' } },
    );
    expect(spec).toEqual({
      subdomain: 'lab',
      terminationGracePeriodSeconds: 30,
      domain: {
        cpu: { features: [{ name: 'pcid', policy: 'disable' }, { name: 'vmx', policy: 'require' }] },
        devices: {},
        firmware: { bootloader: { efi: { secureBoot: true } } },
        features: { smm: {}, acpi: {} },
        machine: { type: 'pc-q35-rhel9.4.0' },
        clock: { utc: {}, timer: { rtc: { tickPolicy: 'catchup' } } },
      },
    });
    expect(metadata).toEqual({ annotations: { keep: 'mine', 'vm.kubevirt.io/os': 'linux' } });
  });

  it('keeps an explicit BIOS bootloader', () => {
    const { spec } = apply({ firmware: { preferredEfi: {} } }, { domain: { firmware: { bootloader: { bios: {} } }, devices: {} } });
    expect(spec.domain.firmware).toEqual({ bootloader: { bios: {} } });
  });
});

describe('preference checks', () => {
  it('checkSpreadCPUTopology', () => {
    const spread = { cpu: { preferredCPUTopology: 'spread' } };
    expect(checkSpreadCPUTopology({ cpu: { guest: 4 } }, spread)).toBeUndefined();
    expect(checkSpreadCPUTopology({ cpu: { guest: 8 } }, { cpu: { preferredCPUTopology: 'spread', spreadOptions: { across: 'SocketsCoresThreads' } } })).toBeUndefined();
    expect(checkSpreadCPUTopology({ cpu: { guest: 6 } }, { cpu: { preferredCPUTopology: 'spread', spreadOptions: { across: 'SocketsCoresThreads' } } })).toEqual({
      field: 'instancetype.spec.cpu.guest',
      message: '6 vCPUs provided by the instance type are not divisible by the number of threads per core 2 and Spec.PreferSpreadSocketToCoreRatio or Spec.CPU.PreferSpreadOptions.Ratio of 2',
    });
    expect(checkSpreadCPUTopology({ cpu: { guest: 3 } }, { cpu: { preferredCPUTopology: 'spread', spreadOptions: { across: 'CoresThreads' } } })?.message).toBe(
      '3 vCPUs provided by the instance type are not divisible by the number of threads per core 2',
    );
    expect(checkSpreadCPUTopology(undefined, spread)).toBeUndefined();
  });

  it('checkPreferenceRequirements', () => {
    const req = { requirements: { cpu: { guest: 2 }, memory: { guest: '2Gi' } } };
    expect(checkPreferenceRequirements({ cpu: { guest: 1 }, memory: { guest: '4Gi' } }, req, {})).toEqual({
      fields: ['spec.instancetype'],
      message: 'insufficient CPU resources of 1 vCPU provided by instance type, preference requires 2 vCPU',
    });
    expect(checkPreferenceRequirements({ cpu: { guest: 2 }, memory: { guest: '4Gi' } }, req, {})).toBeUndefined();
    expect(checkPreferenceRequirements(undefined, req, {})).toEqual({
      fields: ['spec.template.spec.domain.cpu'],
      message: 'no CPU resources provided by VirtualMachine, preference requires 2 vCPU',
    });
    expect(checkPreferenceRequirements(undefined, { requirements: { memory: { guest: '2Gi' } } }, { domain: { memory: { guest: '1Gi' } } })).toEqual({
      fields: ['spec.template.spec.domain.memory'],
      message: 'insufficient Memory resources of 1Gi provided by VirtualMachine, preference requires 2Gi',
    });
    expect(
      checkPreferenceRequirements(undefined, { cpu: { preferredCPUTopology: 'any' }, requirements: { cpu: { guest: 4 } } }, { domain: { cpu: { sockets: 1, cores: 2, threads: 1 } } }),
    ).toEqual({
      fields: ['spec.template.spec.domain.cpu.cores', 'spec.template.spec.domain.cpu.sockets', 'spec.template.spec.domain.cpu.threads'],
      message: 'insufficient CPU resources of 2 vCPU provided by VirtualMachine, preference requires 4 vCPU provided as cores, sockets and threads',
    });
  });
});
