import { describe, expect, it } from 'vitest';
import { clusterConfigFromKubeVirt, sandboxClusterConfig } from './cluster-config.ts';
import { defaultNewVmi } from './defaults.ts';
import type { Obj } from './util.ts';
import { validateMigration, validateVirtualMachine, validateVirtualMachineInstance } from './vm-rules.ts';

function vm(spec: Obj = {}, template: Obj = {}): Obj {
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachine',
    metadata: { name: 'vm1', namespace: 'default' },
    spec: {
      runStrategy: 'Halted',
      template: {
        metadata: { labels: { 'kubevirt.io/vm': 'vm1' } },
        spec: {
          domain: {
            devices: { disks: [{ name: 'containerdisk', disk: { bus: 'virtio' } }] },
            resources: { requests: { memory: '128Mi' } },
          },
          volumes: [{ name: 'containerdisk', containerDisk: { image: 'quay.io/containerdisks/tinylinux:1.0' } }],
          ...template,
        },
      },
      ...spec,
    },
  };
}

describe('validateVirtualMachine: run strategy', () => {
  it('admits a VM with a runStrategy and no warnings', () => {
    expect(validateVirtualMachine(vm())).toEqual({ causes: [], warnings: [] });
  });

  it('requires a runStrategy', () => {
    const v = vm();
    delete v.spec.runStrategy;
    expect(validateVirtualMachine(v)).toEqual({
      causes: [{ type: 'FieldValueInvalid', message: 'RunStrategy must be specified', field: 'spec.running' }],
      warnings: [],
    });
  });

  it('rejects running together with runStrategy', () => {
    expect(validateVirtualMachine(vm({ running: true })).causes).toEqual([
      {
        type: 'FieldValueInvalid',
        message: 'Running and RunStrategy are mutually exclusive. Note that Running is deprecated, please use RunStrategy instead',
        field: 'spec.running',
      },
    ]);
  });

  it('warns that spec.running is deprecated', () => {
    const v = vm({ running: false });
    delete v.spec.runStrategy;
    expect(validateVirtualMachine(v)).toEqual({ causes: [], warnings: ['spec.running is deprecated, please use spec.runStrategy instead.'] });
  });

  it('rejects unknown run strategies and WaitAsReceiver without decentralized live migration', () => {
    expect(validateVirtualMachine(vm({ runStrategy: 'Sometimes' })).causes).toEqual([
      { type: 'FieldValueInvalid', message: 'Invalid RunStrategy (Sometimes)', field: 'spec.runStrategy' },
    ]);
    expect(validateVirtualMachine(vm({ runStrategy: 'WaitAsReceiver' })).causes).toEqual([
      {
        type: 'FieldValueInvalid',
        message: 'Invalid RunStrategy (WaitAsReceiver), DecentralizedLiveMigration feature gate is not enabled in kubevirt resource',
        field: 'spec.runStrategy',
      },
    ]);
  });

  it('requires a template', () => {
    const v = vm();
    delete v.spec.template;
    expect(validateVirtualMachine(v).causes).toEqual([{ type: 'FieldValueRequired', message: 'missing virtual machine template.', field: 'spec.template' }]);
  });

  it('skips validation for a VM being deleted', () => {
    const v = vm({ runStrategy: 'Sometimes' });
    v.metadata.deletionTimestamp = '2025-01-01T00:00:00Z';
    expect(validateVirtualMachine(v)).toEqual({ causes: [], warnings: [] });
  });
});

describe('validateVirtualMachine: template', () => {
  it('needs a volume for every disk, with KubeVirt\'s "Name" in the message', () => {
    const v = vm({}, { domain: { devices: { disks: [{ name: 'containerdisk' }, { name: 'data' }] }, resources: { requests: { memory: '128Mi' } } } });
    expect(validateVirtualMachine(v).causes).toEqual([
      { type: 'FieldValueInvalid', message: "spec.template.spec.domain.devices.disks[1].Name 'data' not found.", field: 'spec.template.spec.domain.devices.disks[1].name' },
    ]);
  });

  it('adds a disk for a volume without one (no error on a VM)', () => {
    const v = vm({}, { volumes: [{ name: 'containerdisk', containerDisk: { image: 'x:1' } }, { name: 'cloudinit', cloudInitNoCloud: { userData: '#cloud-config' } }] });
    expect(validateVirtualMachine(v).causes).toEqual([]);
  });

  it('allows an empty CD-ROM only with DeclarativeHotplugVolumes', () => {
    const cdrom = { domain: { devices: { disks: [{ name: 'containerdisk' }, { name: 'cd', cdrom: { bus: 'sata' } }] }, resources: { requests: { memory: '128Mi' } } } };
    expect(validateVirtualMachine(vm({}, cdrom)).causes).toEqual([]);
    expect(validateVirtualMachine(vm({}, cdrom), { config: clusterConfigFromKubeVirt({}) }).causes).toEqual([
      {
        type: 'FieldValueInvalid',
        message: 'DeclarativeHotplugVolumes feature gate not enabled, cannot define an empty CD-ROM disk',
        field: 'spec.template.spec.domain.devices.disks[1].name',
      },
    ]);
  });

  it('validates disks and volumes', () => {
    const v = vm(
      {},
      {
        domain: {
          devices: { disks: [{ name: 'containerdisk', disk: { bus: 'ide' } }, { name: 'containerdisk', cdrom: { bus: 'virtio' } }, { name: 'Data', disk: {}, bootOrder: 0 }] },
          resources: { requests: { memory: '128Mi' } },
        },
        volumes: [
          { name: 'containerdisk', containerDisk: { image: 'x:1' } },
          { name: 'containerdisk', emptyDisk: { capacity: '1Gi' } },
          { name: 'Data', containerDisk: { image: 'x:1' }, emptyDisk: { capacity: '1Gi' } },
        ],
      },
    );
    const d = 'spec.template.spec.domain.devices.disks';
    expect(validateVirtualMachine(v).causes).toEqual([
      { type: 'FieldValueInvalid', message: 'IDE bus is not supported', field: `${d}[0].disk.bus` },
      { type: 'FieldValueInvalid', message: `${d}[1] and ${d}[0] must not have the same Name.`, field: `${d}[1].name` },
      { type: 'FieldValueInvalid', message: 'Bus type virtio is invalid for CD-ROM device', field: `${d}[1].cdrom.bus` },
      { type: 'FieldValueInvalid', message: `${d}[2] must have a boot order > 0, if supplied`, field: `${d}[2].bootOrder` },
      {
        type: 'FieldValueInvalid',
        message: `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
        field: `${d}.domain.devices.disks[2].name`,
      },
      {
        type: 'FieldValueInvalid',
        message: 'spec.template.spec.volumes[1] and spec.template.spec.volumes[0] must not have the same Name.',
        field: 'spec.template.spec.volumes[1].name',
      },
      { type: 'FieldValueInvalid', message: 'spec.template.spec.volumes[2] must have exactly one source type set', field: 'spec.template.spec.volumes[2]' },
    ]);
  });

  it('validates memory and CPU resources', () => {
    const v = vm({}, { domain: { devices: { disks: [{ name: 'containerdisk' }] }, resources: { requests: { memory: '512Ki', cpu: '2' }, limits: { cpu: '1' } } } });
    expect(validateVirtualMachine(v).causes).toEqual([
      {
        type: 'FieldValueInvalid',
        message: "spec.template.spec.domain.resources.requests.memory '512Ki': must be greater than or equal to 1M.",
        field: 'spec.template.spec.domain.resources.requests.memory',
      },
      {
        type: 'FieldValueInvalid',
        message: "spec.template.spec.domain.resources.requests.cpu '2' is greater than spec.template.spec.domain.resources.limits.cpu '1'",
        field: 'spec.template.spec.domain.resources.requests.cpu',
      },
    ]);
    const big = vm({}, { domain: { devices: { disks: [{ name: 'containerdisk' }] }, resources: { requests: { memory: '2Gi' }, limits: { memory: '1Gi' } } } });
    expect(validateVirtualMachine(big).causes).toEqual([
      {
        type: 'FieldValueInvalid',
        message: "spec.template.spec.domain.resources.requests.memory '2Gi' is greater than spec.template.spec.domain.resources.limits.memory '1Gi'",
        field: 'spec.template.spec.domain.resources.requests.memory',
      },
    ]);
  });

  it('rejects an unsupported machine type and a bad hostname', () => {
    const v = vm({}, { hostname: 'My_Host', domain: { machine: { type: 'pc-i440fx' }, devices: { disks: [{ name: 'containerdisk' }] }, resources: { requests: { memory: '128Mi' } } } });
    const causes = validateVirtualMachine(v).causes;
    expect(causes.map((c) => c.field)).toEqual(['spec.template.spec.hostname', 'spec.template.spec.domain.machine.type']);
    expect(causes[0]?.message).toMatch(/^spec\.template\.spec\.hostname does not conform to the kubernetes DNS_LABEL rules : a lowercase RFC 1123 label/);
    expect(causes[1]?.message).toBe('spec.template.spec.domain.machine.type is not supported: pc-i440fx (allowed values: [q35* pc-q35*])');
  });

  it('applies the network rules to the template, defaulting the pod network first', () => {
    expect(validateVirtualMachine(vm({}, { networks: [] })).causes).toEqual([]);
    const v = vm({}, { networks: [{ name: 'default', pod: {} }, { name: 'sec', multus: { networkName: 'n' } }], domain: { devices: { disks: [{ name: 'containerdisk' }], interfaces: [{ name: 'default', masquerade: {} }, { name: 'sec', masquerade: {} }] }, resources: { requests: { memory: '128Mi' } } } });
    expect(validateVirtualMachine(v).causes).toEqual([
      { type: 'FieldValueInvalid', message: 'Masquerade interface only implemented with pod network', field: 'spec.template.spec.domain.devices.interfaces[1].name' },
    ]);
  });

  it('roots the slirp creation check at "spec" and runs it only on create', () => {
    const v = vm({}, { networks: [{ name: 'default', pod: {} }], domain: { devices: { disks: [{ name: 'containerdisk' }], interfaces: [{ name: 'default', slirp: {} }] }, resources: { requests: { memory: '128Mi' } } } });
    expect(validateVirtualMachine(v).causes).toEqual([
      { type: 'FieldValueInvalid', message: 'Slirp interface support has been discontinued since v1.3', field: 'spec.domain.devices.interfaces[0].slirp' },
    ]);
    expect(validateVirtualMachine(v, { operation: 'UPDATE' }).causes).toEqual([]);
  });

  it('rejects reserved kubevirt.io labels on the template unless a KubeVirt service account asks', () => {
    const v = vm();
    v.spec.template.metadata.labels['kubevirt.io/nodeName'] = 'node01';
    expect(validateVirtualMachine(v).causes).toEqual([
      { type: 'FieldValueNotSupported', message: 'creation of the following reserved kubevirt.io/ labels on a VMI object is prohibited', field: 'spec.template.metadata.labels' },
    ]);
    expect(validateVirtualMachine(v, { isKubeVirtServiceAccount: true }).causes).toEqual([]);
  });

  it('validates data volume templates', () => {
    const dv = (name: string, spec: Obj) => ({ metadata: { name }, spec });
    const v = vm({
      dataVolumeTemplates: [
        dv('root', { storage: { resources: { requests: { storage: '1Gi' } } }, sourceRef: { kind: 'DataSource', name: 'tinylinux' } }),
        dv('unused', { storage: {}, source: { blank: {} } }),
        dv('nosource', { storage: {} }),
        dv('both', { storage: {}, pvc: {}, source: { blank: {} } }),
      ],
    }, { volumes: [{ name: 'containerdisk', containerDisk: { image: 'x:1' } }, { name: 'root', dataVolume: { name: 'root' } }] });
    expect(validateVirtualMachine(v).causes).toEqual([
      {
        type: 'FieldValueRequired',
        message: "DataVolumeTemplate entry spec.dataVolumeTemplate[1] must be referenced in the VMI template's 'volumes' list",
        field: 'spec.dataVolumeTemplate[1]',
      },
      {
        type: 'FieldValueInvalid',
        message: 'Data volume should have either Source, SourceRef, or be externally populated',
        field: 'spec.dataVolumeTemplate[2].source.sourceRef',
      },
      { type: 'FieldValueInvalid', message: 'Duplicate storage definition, both target storage and target pvc defined', field: 'spec.dataVolumeTemplate[3].PVC.Storage' },
    ]);
  });

  it('checks maxSockets and hotplug memory under the LiveUpdate rollout strategy', () => {
    const v = vm({}, { domain: { cpu: { sockets: 8, maxSockets: 4 }, memory: { guest: '512Mi', maxGuest: '2Gi' }, devices: { disks: [{ name: 'containerdisk' }] } } });
    expect(validateVirtualMachine(v).causes).toEqual([
      { type: 'FieldValueInvalid', message: 'Number of sockets in CPU topology is greater than the maximum sockets allowed', field: 'spec.template.spec.domain.cpu.sockets' },
      { type: 'FieldValueInvalid', message: 'Memory hotplug is only available for VMs with at least 1Gi of guest memory', field: 'spec.template.spec.domain.memory.guest' },
    ]);
  });
});

describe('validateVirtualMachine: instancetypes and preferences', () => {
  const itVm = (template: Obj = {}) => vm({ instancetype: { name: 'u1.small' }, preference: { name: 'tinylinux' } }, { domain: { devices: { disks: [{ name: 'containerdisk' }] } }, ...template });
  const it1 = { cpu: { guest: 1 }, memory: { guest: '2Gi' } };

  it('validates the VM with the instancetype applied', () => {
    expect(validateVirtualMachine(itVm(), { instancetype: it1, preference: { devices: { preferredDiskBus: 'virtio' } } })).toEqual({ causes: [], warnings: [] });
  });

  it('reports fields the instancetype owns as conflicts', () => {
    const v = itVm({ domain: { cpu: { sockets: 2 }, memory: { guest: '1Gi' }, devices: { disks: [{ name: 'containerdisk' }] } } });
    expect(validateVirtualMachine(v, { instancetype: it1 }).causes).toEqual([
      { type: 'FieldValueInvalid', message: 'VM field(s) spec.template.spec.domain.cpu.sockets conflicts with selected instance type', field: 'spec.template.spec.domain.cpu.sockets' },
      { type: 'FieldValueInvalid', message: 'VM field(s) spec.template.spec.domain.memory conflicts with selected instance type', field: 'spec.template.spec.domain.memory' },
    ]);
  });

  it('checks the preference requirements', () => {
    expect(validateVirtualMachine(itVm(), { instancetype: it1, preference: { requirements: { memory: { guest: '4Gi' } } } }).causes).toEqual([
      {
        type: 'FieldValueNotFound',
        message: 'failure checking preference requirements: insufficient Memory resources of 2Gi provided by instance type, preference requires 4Gi',
        field: 'spec.instancetype',
      },
    ]);
    const plain = vm({ preference: { name: 'fedora' } });
    expect(validateVirtualMachine(plain, { preference: { requirements: { cpu: { guest: 2 } } } }).causes).toEqual([
      {
        type: 'FieldValueNotFound',
        message: 'failure checking preference requirements: insufficient CPU resources of 1 vCPU provided by VirtualMachine, preference requires 2 vCPU provided as sockets',
        field: 'spec.template.spec.domain.cpu.sockets',
      },
    ]);
  });

  it('rejects a spread topology the instancetype vCPUs cannot fill', () => {
    expect(validateVirtualMachine(itVm(), { instancetype: { cpu: { guest: 3 }, memory: { guest: '1Gi' } }, preference: { cpu: { preferredCPUTopology: 'spread' } } }).causes).toEqual([
      {
        type: 'FieldValueInvalid',
        message: '3 vCPUs provided by the instance type are not divisible by the Spec.PreferSpreadSocketToCoreRatio or Spec.CPU.PreferSpreadOptions.Ratio of 2 provided by the preference',
        field: 'instancetype.spec.cpu.guest',
      },
    ]);
  });
});

describe('validateVirtualMachineInstance', () => {
  const vmi = (spec: Obj): Obj => ({ metadata: { name: 'v', namespace: 'default' }, spec });
  const defaulted = (spec: Obj) => {
    const v = vmi(spec);
    defaultNewVmi(sandboxClusterConfig, v, { now: () => 'T', uuid: () => 'U' });
    return v;
  };
  const base = () => ({
    domain: { devices: { disks: [{ name: 'containerdisk' }] }, resources: { requests: { memory: '128Mi' } } },
    volumes: [{ name: 'containerdisk', containerDisk: { image: 'x:1' } }],
  });

  it('admits a defaulted VMI', () => {
    expect(validateVirtualMachineInstance(defaulted(base()))).toEqual({ causes: [], warnings: [] });
  });

  it('reports network causes twice, as KubeVirt 1.6 runs the network validator twice on VMI create', () => {
    const s = { ...base(), networks: [{ name: 'sec', multus: { networkName: 'n' } }] };
    s.domain = { ...s.domain, devices: { ...s.domain.devices, interfaces: [{ name: 'sec', masquerade: {} }] } } as typeof s.domain;
    const cause = { type: 'FieldValueInvalid', message: 'Masquerade interface only implemented with pod network', field: 'spec.domain.devices.interfaces[0].name' };
    expect(validateVirtualMachineInstance(defaulted(s)).causes).toEqual([cause, cause]);
  });

  it('requires every volume to be used by a disk (with KubeVirt\'s "domain.volumes" path)', () => {
    const v = defaulted(base());
    v.spec.volumes.push({ name: 'orphan', emptyDisk: { capacity: '1Gi' } });
    expect(validateVirtualMachineInstance(v).causes).toEqual([
      { type: 'FieldValueInvalid', message: "spec.domain.volumes[1].name 'orphan' not found.", field: 'spec.domain.volumes[1].name' },
    ]);
  });

  it('requires some memory and an architecture', () => {
    const v = vmi({ domain: { devices: { disks: [{ name: 'containerdisk' }] } }, volumes: [{ name: 'containerdisk', containerDisk: { image: 'x:1' } }], networks: [] });
    expect(validateVirtualMachineInstance(v).causes).toEqual([
      {
        type: 'FieldValueRequired',
        message: "no memory requested, at least one of 'spec.domain.memory.guest', 'spec.domain.memory.hugepages.size' or 'spec.domain.resources.requests.memory' must be set",
        field: '',
      },
      { type: 'FieldValueInvalid', message: 'unsupported architecture: ', field: 'spec.architecture' },
    ]);
  });

  it('rejects reserved labels from ordinary users', () => {
    const v = defaulted(base());
    v.metadata.labels = { 'kubevirt.io/created-by': 'me' };
    expect(validateVirtualMachineInstance(v).causes).toEqual([
      { type: 'FieldValueNotSupported', message: 'creation of the following reserved kubevirt.io/ labels on a VMI object is prohibited', field: 'metadata.labels' },
    ]);
    expect(validateVirtualMachineInstance(v, { isKubeVirtServiceAccount: true }).causes).toEqual([]);
  });
});

describe('validateMigration', () => {
  const mig = (spec: Obj = { vmiName: 'vm1' }): Obj => ({ metadata: { name: 'm', namespace: 'default' }, spec });
  const runningVmi = (conditions: Obj[] = [{ type: 'LiveMigratable', status: 'True' }]): Obj => ({
    metadata: { name: 'vm1', namespace: 'default' },
    status: { phase: 'Running', conditions },
  });

  it('admits a migration of a live-migratable running VMI', () => {
    expect(validateMigration(mig(), runningVmi(), [])).toEqual({ causes: [], warnings: [] });
  });

  it('requires vmiName', () => {
    expect(validateMigration(mig({}), undefined, [])).toEqual({
      causes: [{ type: 'FieldValueRequired', message: 'vmiName is missing', field: 'spec.vmiName' }],
      warnings: [],
    });
  });

  it('requires the VMI to exist and not be final', () => {
    expect(validateMigration(mig(), undefined, []).error).toBe('the VMI "default/vm1" does not exist');
    expect(validateMigration(mig(), { status: { phase: 'Succeeded' } }, []).error).toBe('Cannot migrate VMI in finalized state.');
    expect(validateMigration(mig(), { status: { phase: 'Failed' } }, []).error).toBe('Cannot migrate VMI in finalized state.');
  });

  it('rejects a VMI that is not live-migratable with the condition reason and message', () => {
    const vmi = runningVmi([
      {
        type: 'LiveMigratable',
        status: 'False',
        reason: 'DisksNotLiveMigratable',
        message: 'cannot migrate VMI: PVC rootdisk is not shared, live migration requires that all PVCs must be shared (using ReadWriteMany access mode)',
      },
    ]);
    expect(validateMigration(mig(), vmi, []).error).toBe(
      'Cannot migrate VMI, Reason: DisksNotLiveMigratable, Message: cannot migrate VMI: PVC rootdisk is not shared, live migration requires that all PVCs must be shared (using ReadWriteMany access mode)',
    );
  });

  it('rejects a second migration while one is in flight', () => {
    const other = (phase: string, uid: string) => ({ metadata: { uid, labels: { 'kubevirt.io/vmi-name': 'vm1' } }, spec: { vmiName: 'vm1' }, status: { phase } });
    expect(validateMigration(mig(), runningVmi(), [other('Succeeded', 'a'), other('Failed', 'b')]).error).toBeUndefined();
    expect(validateMigration(mig(), runningVmi(), [other('Succeeded', 'a'), other('Running', 'c')]).error).toBe(
      'in-flight migration detected. Active migration job (c) is currently already in progress for VMI vm1.',
    );
  });

  it('gates decentralized migrations', () => {
    expect(validateMigration(mig({ vmiName: 'vm1', sendTo: { migrationID: 'x', connectURL: 'u' } }), runningVmi(), []).causes).toEqual([
      { type: 'FieldValueNotSupported', message: 'DecentralizedLiveMigration feature gate is not enabled in kubevirt resource', field: '' },
    ]);
  });
});
