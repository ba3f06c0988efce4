import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { buildManifests, cloudInitSecretName, manifestsList, needsStartCall, toYaml } from './builders';
import { createVmForm, type CreateVmFormInput } from './form';

const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB9H/fPm4bOB06Z4T2s0agEbyUuPwwciMRlHa1lME60s me';

const form = (over: Partial<CreateVmFormInput> = {}) =>
  createVmForm.parse({
    namespace: 'team-a',
    name: 'web',
    bootSource: { kind: 'dataSource', namespace: 'kubevirt-os-images', name: 'fedora' },
    size: { kind: 'instancetype', instancetype: 'u1.medium', preference: 'fedora' },
    rootDisk: { size: '30Gi' },
    ...over,
  });

const spec = (over: Partial<CreateVmFormInput> = {}) => buildManifests(form(over)).vm.spec;

describe('buildManifests: the root disk', () => {
  it('clones a DataSource through a DataVolume template the root disk boots from', () => {
    const s = spec({ rootDisk: { size: '40Gi', storageClass: 'fast', accessMode: 'ReadWriteMany', volumeMode: 'Block' } });
    expect(s.dataVolumeTemplates).toEqual([
      {
        metadata: { name: 'web-rootdisk' },
        spec: {
          sourceRef: { kind: 'DataSource', namespace: 'kubevirt-os-images', name: 'fedora' },
          storage: { resources: { requests: { storage: '40Gi' } }, storageClassName: 'fast', accessModes: ['ReadWriteMany'], volumeMode: 'Block' },
        },
      },
    ]);
    expect(s.template.spec?.volumes?.[0]).toEqual({ name: 'rootdisk', dataVolume: { name: 'web-rootdisk' } });
    expect(s.template.spec?.domain.devices.disks?.[0]).toEqual({ name: 'rootdisk', disk: { bus: 'virtio' }, bootOrder: 1 });
  });

  it('leaves class, access and volume mode to CDI when the form does', () => {
    expect(spec().dataVolumeTemplates?.[0]?.spec.storage).toEqual({ resources: { requests: { storage: '30Gi' } } });
  });

  it('imports from http and clones a PVC', () => {
    expect(spec({ bootSource: { kind: 'http', url: 'https://example.com/disk.qcow2' } }).dataVolumeTemplates?.[0]?.spec.source).toEqual({
      http: { url: 'https://example.com/disk.qcow2' },
    });
    expect(spec({ bootSource: { kind: 'pvc', namespace: 'images', name: 'golden' } }).dataVolumeTemplates?.[0]?.spec.source).toEqual({
      pvc: { namespace: 'images', name: 'golden' },
    });
  });

  it('boots a container disk without any DataVolume', () => {
    const s = spec({ bootSource: { kind: 'containerDisk', image: 'quay.io/containerdisks/fedora:40' } });
    expect(s.dataVolumeTemplates).toBeUndefined();
    expect(s.template.spec?.volumes?.[0]).toEqual({ name: 'rootdisk', containerDisk: { image: 'quay.io/containerdisks/fedora:40' } });
  });

  it('adds extra disks as blank DataVolumes after the root disk', () => {
    const s = spec({ extraDisks: [{ name: 'data', size: '100Gi', storageClass: 'bulk' }] });
    expect(s.dataVolumeTemplates?.[1]).toEqual({
      metadata: { name: 'web-data' },
      spec: { source: { blank: {} }, storage: { resources: { requests: { storage: '100Gi' } }, storageClassName: 'bulk' } },
    });
    expect(s.template.spec?.domain.devices.disks?.map((d) => d.name)).toEqual(['rootdisk', 'data']);
    expect(s.template.spec?.domain.devices.disks?.[1]).toEqual({ name: 'data', disk: { bus: 'virtio' } });
    expect(s.template.spec?.volumes?.[1]).toEqual({ name: 'data', dataVolume: { name: 'web-data' } });
  });
});

describe('buildManifests: size', () => {
  it('refers to a cluster instancetype and preference, and sets no CPU or memory of its own', () => {
    const s = spec();
    expect(s.instancetype).toEqual({ kind: 'VirtualMachineClusterInstancetype', name: 'u1.medium' });
    expect(s.preference).toEqual({ kind: 'VirtualMachineClusterPreference', name: 'fedora' });
    expect(s.template.spec?.domain.cpu).toBeUndefined();
    expect(s.template.spec?.domain.memory).toBeUndefined();
    expect(s.template.metadata?.labels).toEqual({ 'kubevirt.io/domain': 'web', 'kubevirt.io/size': 'medium' });
  });

  it('writes a custom size as cores and guest memory, leaving the requests to KubeVirt', () => {
    const s = spec({ size: { kind: 'custom', cpu: 2, memory: '4Gi' } });
    expect(s.instancetype).toBeUndefined();
    expect(s.preference).toBeUndefined();
    expect(s.template.spec?.domain.cpu).toEqual({ cores: 2 });
    expect(s.template.spec?.domain.memory).toEqual({ guest: '4Gi' });
    expect(s.template.spec?.domain.resources).toBeUndefined();
  });
});

describe('buildManifests: run strategy', () => {
  it('creates a VM that is not to start Halted, and keeps the chosen strategy otherwise', () => {
    expect(spec({ runStrategy: 'Always', start: false }).runStrategy).toBe('Halted');
    expect(spec({ runStrategy: 'RerunOnFailure', start: true }).runStrategy).toBe('RerunOnFailure');
    expect(spec({ runStrategy: 'Always' }).runStrategy).toBe('Always');
  });

  it('keeps Manual even when starting, and says the start subresource is needed then', () => {
    expect(spec({ runStrategy: 'Manual', start: true }).runStrategy).toBe('Manual');
    expect(needsStartCall(form({ runStrategy: 'Manual', start: true }))).toBe(true);
    expect(spec({ runStrategy: 'Manual', start: false }).runStrategy).toBe('Manual');
    expect(needsStartCall(form({ runStrategy: 'Manual', start: false }))).toBe(false);
    expect(needsStartCall(form({ runStrategy: 'Always', start: true }))).toBe(false);
  });
});

describe('buildManifests: networks', () => {
  it('attaches the pod network with masquerade by default', () => {
    const s = spec();
    expect(s.template.spec?.domain.devices.interfaces).toEqual([{ name: 'default', masquerade: {} }]);
    expect(s.template.spec?.networks).toEqual([{ name: 'default', pod: {} }]);
    expect(s.template.spec?.domain.devices.autoattachPodInterface).toBeUndefined();
  });

  it('binds secondary networks through Multus', () => {
    const s = spec({
      networks: [
        { name: 'default', source: { kind: 'pod' }, binding: 'bridge' },
        { name: 'storage', source: { kind: 'multus', networkName: 'infra/storage-net' }, binding: 'sriov' },
      ],
    });
    expect(s.template.spec?.domain.devices.interfaces).toEqual([
      { name: 'default', bridge: {} },
      { name: 'storage', sriov: {} },
    ]);
    expect(s.template.spec?.networks?.[1]).toEqual({ name: 'storage', multus: { networkName: 'infra/storage-net' } });
  });

  it('turns off the automatic pod interface when no network is chosen', () => {
    const s = spec({ networks: [] });
    expect(s.template.spec?.domain.devices.autoattachPodInterface).toBe(false);
    expect(s.template.spec?.domain.devices.interfaces).toBeUndefined();
    expect(s.template.spec?.networks).toBeUndefined();
  });
});

describe('buildManifests: cloud-init', () => {
  it('puts keys in a Secret the cloud-init disk refers to by name, without an owner yet', () => {
    const m = buildManifests(form({ cloudInit: { sshKeys: [key] } }));
    expect(m.secrets).toHaveLength(1);
    const secret = m.secrets[0]!;
    expect(secret.metadata.name).toBe(cloudInitSecretName('web'));
    expect(secret.metadata.name).toBe('web-cloud-init');
    expect(secret.metadata.namespace).toBe('team-a');
    expect(secret.stringData.userdata).toMatch(/^#cloud-config\n/);
    expect(secret.stringData.userdata).toContain(key);
    expect(secret.stringData.networkdata).toBeUndefined();
    expect((secret.metadata as Record<string, unknown>).ownerReferences).toBeUndefined();
    const volumes = m.vm.spec.template.spec?.volumes ?? [];
    expect(volumes.find((v) => v.name === 'cloudinitdisk')).toEqual({ name: 'cloudinitdisk', cloudInitNoCloud: { secretRef: { name: 'web-cloud-init' } } });
    expect(m.vm.spec.template.spec?.domain.devices.disks?.at(-1)).toEqual({ name: 'cloudinitdisk', disk: { bus: 'virtio' } });
    // Nothing secret in the VM itself.
    expect(JSON.stringify(m.vm)).not.toContain(key);
  });

  it('carries network-data in the same Secret', () => {
    const m = buildManifests(form({ cloudInit: { sshKeys: [], networkData: 'version: 2\n' } }));
    expect(m.secrets[0]?.stringData).toEqual({ userdata: '#cloud-config\n', networkdata: 'version: 2\n' });
    const volume = m.vm.spec.template.spec?.volumes?.find((v) => v.name === 'cloudinitdisk');
    expect(volume?.cloudInitNoCloud).toEqual({ secretRef: { name: 'web-cloud-init' }, networkDataSecretRef: { name: 'web-cloud-init' } });
  });

  it('adds no Secret and no cloud-init disk when nothing was asked', () => {
    const m = buildManifests(form({ cloudInit: { sshKeys: [], userData: '  ' } }));
    expect(m.secrets).toEqual([]);
    expect(m.vm.spec.template.spec?.volumes?.map((v) => v.name)).toEqual(['rootdisk']);
  });
});

describe('manifestsList and toYaml', () => {
  it('lists the VM first, then its Secrets', () => {
    const list = manifestsList(buildManifests(form({ cloudInit: { sshKeys: [key] } })));
    expect(list.map((o) => o.kind)).toEqual(['VirtualMachine', 'Secret']);
  });

  it('writes documents that read back to the same objects, quoting what YAML 1.1 would misread', () => {
    const list = manifestsList(buildManifests(form({ labels: { backup: 'yes', tier: 'on' }, cloudInit: { sshKeys: [key] } })));
    const text = toYaml(list);
    expect(text).toContain('backup: "yes"');
    const docs = parseAllDocuments(text, { version: '1.1' });
    expect(Array.isArray(docs) && docs.map((d) => d.toJS())).toEqual(list);
  });
});
