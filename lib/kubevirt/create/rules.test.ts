import { describe, expect, it } from 'vitest';
import type { CreateOptions } from '../../shared/create-api';
import { createVmForm, type CreateVmFormInput } from './form';
import { clusterProblems, createVmFormChecked, formProblems, isImageReference } from './rules';

const ed25519 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB9H/fPm4bOB06Z4T2s0agEbyUuPwwciMRlHa1lME60s me@laptop';
const rsa1024 =
  'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQD1i17D6XoKmhZ6Q+10h0CNySFhHtWgP01JmKSXWzyqehegs13kK87V6qXfmYtJd1qew8x8DV6CmyjgFcJR1zoBfy2eDyxGfeXPYV83PwZE4vqr76LpHBgXus0t9Fz8agRt2nHkRBycsKCrE/gD7zz7BYMPzCCZUO7xcefkPcv5XQ== old';

const base: CreateVmFormInput = {
  namespace: 'team-a',
  name: 'web',
  bootSource: { kind: 'dataSource', namespace: 'os-images', name: 'fedora' },
  size: { kind: 'instancetype', instancetype: 'u1.medium', preference: 'fedora' },
  rootDisk: { size: '30Gi' },
};
const form = (over: Partial<CreateVmFormInput> = {}) => createVmForm.parse({ ...base, ...over });

const pod = { name: 'default', source: { kind: 'pod' as const }, binding: 'masquerade' as const };
const multus = (name: string, networkName: string, binding: 'bridge' | 'sriov' | 'masquerade' = 'bridge') => ({
  name,
  source: { kind: 'multus' as const, networkName },
  binding,
});

interface Case {
  rule: string;
  field: string;
  breaks: Partial<CreateVmFormInput>;
  // The nearest form that keeps the rule.
  keeps: Partial<CreateVmFormInput>;
  line?: number;
  params?: Record<string, string | number>;
}

const formCases: Case[] = [
  {
    rule: 'networks.duplicateName',
    field: 'networks.1.name',
    breaks: { networks: [pod, multus('default', 'storage')] },
    keeps: { networks: [pod, multus('storage', 'storage')] },
  },
  {
    rule: 'networks.podTwice',
    field: 'networks.1.source',
    breaks: { networks: [pod, { ...pod, name: 'second' }] },
    keeps: { networks: [pod, multus('second', 'storage')] },
  },
  {
    rule: 'networks.sriovOnPod',
    field: 'networks.0.binding',
    breaks: { networks: [{ ...pod, binding: 'sriov' }] },
    keeps: { networks: [{ ...pod, binding: 'bridge' }] },
  },
  {
    rule: 'networks.masqueradeSecondary',
    field: 'networks.1.binding',
    breaks: { networks: [pod, multus('storage', 'storage', 'masquerade')] },
    keeps: { networks: [pod, multus('storage', 'storage', 'bridge')] },
  },
  {
    rule: 'size.tooSmall',
    field: 'rootDisk.size',
    breaks: { rootDisk: { size: '0' } },
    keeps: { rootDisk: { size: '1Mi' } },
    params: { min: '1Mi' },
  },
  {
    rule: 'size.tooSmall',
    field: 'extraDisks.0.size',
    breaks: { extraDisks: [{ name: 'data', size: '1Ki' }] },
    keeps: { extraDisks: [{ name: 'data', size: '1Gi' }] },
    params: { min: '1Mi' },
  },
  {
    rule: 'disks.reservedName',
    field: 'extraDisks.0.name',
    breaks: { extraDisks: [{ name: 'cloudinitdisk', size: '1Gi' }] },
    keeps: { extraDisks: [{ name: 'cloudinit', size: '1Gi' }] },
  },
  {
    rule: 'disks.reservedName',
    field: 'extraDisks.0.name',
    breaks: { extraDisks: [{ name: 'rootdisk', size: '1Gi' }] },
    keeps: { extraDisks: [{ name: 'rootdisk2', size: '1Gi' }] },
  },
  {
    rule: 'disks.duplicateName',
    field: 'extraDisks.1.name',
    breaks: { extraDisks: [{ name: 'data', size: '1Gi' }, { name: 'data', size: '2Gi' }] },
    keeps: { extraDisks: [{ name: 'data', size: '1Gi' }, { name: 'logs', size: '2Gi' }] },
  },
  {
    rule: 'memory.tooSmall',
    field: 'size.memory',
    breaks: { size: { kind: 'custom', cpu: 1, memory: '63Mi' } },
    keeps: { size: { kind: 'custom', cpu: 1, memory: '64Mi' } },
    params: { min: '64Mi' },
  },
  {
    rule: 'memory.tooLarge',
    field: 'size.memory',
    breaks: { size: { kind: 'custom', cpu: 1, memory: '1025Gi' } },
    keeps: { size: { kind: 'custom', cpu: 1, memory: '1Ti' } },
    params: { max: '1Ti' },
  },
  {
    rule: 'image.reference',
    field: 'bootSource.image',
    breaks: { bootSource: { kind: 'containerDisk', image: 'Quay.io/ContainerDisks/Fedora:40' } },
    keeps: { bootSource: { kind: 'containerDisk', image: 'Quay.io/containerdisks/fedora:40' } },
  },
  {
    rule: 'url.credentials',
    field: 'bootSource.url',
    breaks: { bootSource: { kind: 'http', url: 'https://user:secret@images.example.com/f.qcow2' } },
    keeps: { bootSource: { kind: 'http', url: 'https://images.example.com/f.qcow2' } },
  },
  {
    rule: 'sshKey.weak',
    field: 'cloudInit.sshKeys.1',
    breaks: { cloudInit: { sshKeys: [ed25519, rsa1024] } },
    keeps: { cloudInit: { sshKeys: [ed25519] } },
    params: { min: 2048 },
  },
  {
    rule: 'sshKey.format',
    field: 'cloudInit.sshKeys.0',
    breaks: { cloudInit: { sshKeys: ['-----BEGIN OPENSSH PRIVATE KEY----- b3BlbnNzaC1rZXktdjEAAAAA -----END OPENSSH PRIVATE KEY-----'] } },
    keeps: { cloudInit: { sshKeys: [ed25519] } },
  },
  {
    rule: 'sshKey.duplicate',
    field: 'cloudInit.sshKeys.1',
    breaks: { cloudInit: { sshKeys: [ed25519, ed25519.replace('me@laptop', 'other comment')] } },
    keeps: { cloudInit: { sshKeys: [ed25519] } },
  },
  {
    rule: 'userData.scriptWithKeys',
    field: 'cloudInit.userData',
    breaks: { cloudInit: { sshKeys: [ed25519], userData: '#!/bin/sh\necho hi\n' } },
    keeps: { cloudInit: { sshKeys: [], userData: '#!/bin/sh\necho hi\n' } },
    line: 1,
  },
  {
    rule: 'userData.yaml',
    field: 'cloudInit.userData',
    breaks: { cloudInit: { sshKeys: [], userData: '#cloud-config\npackages:\n  - vim\n  bad: key\n' } },
    keeps: { cloudInit: { sshKeys: [], userData: '#cloud-config\npackages:\n  - vim\n' } },
    line: 4,
  },
  {
    rule: 'userData.notMapping',
    field: 'cloudInit.userData',
    breaks: { cloudInit: { sshKeys: [], userData: '#cloud-config\n- vim\n' } },
    keeps: { cloudInit: { sshKeys: [], userData: '#cloud-config\npackages: [vim]\n' } },
    line: 2,
  },
  {
    rule: 'networkData.version',
    field: 'cloudInit.networkData',
    breaks: { networks: [pod, multus('storage', 'storage')], cloudInit: { sshKeys: [], networkData: 'network:\n  version: 3\n' } },
    keeps: { networks: [pod, multus('storage', 'storage')], cloudInit: { sshKeys: [], networkData: 'network:\n  version: 2\n' } },
    line: 2,
  },
  {
    rule: 'networkData.withoutSecondary',
    field: 'cloudInit.networkData',
    breaks: { networks: [pod], cloudInit: { sshKeys: [], networkData: 'version: 2\n' } },
    keeps: { networks: [pod, multus('storage', 'storage')], cloudInit: { sshKeys: [], networkData: 'version: 2\n' } },
  },
  {
    rule: 'user.noCredentials',
    field: 'cloudInit.user',
    breaks: { cloudInit: { sshKeys: [], user: 'dev' } },
    keeps: { cloudInit: { sshKeys: [], user: 'dev', password: 'a long passphrase' } },
  },
  {
    rule: 'user.reserved',
    field: 'cloudInit.user',
    breaks: { cloudInit: { sshKeys: [ed25519], user: 'root' } },
    keeps: { cloudInit: { sshKeys: [ed25519], user: 'admin' } },
  },
];

describe('formProblems', () => {
  it('finds nothing in an ordinary form', () => {
    expect(formProblems(form())).toEqual([]);
    expect(formProblems(form({ cloudInit: { sshKeys: [ed25519], password: 'for the console' } }))).toEqual([]);
  });

  for (const c of formCases) {
    it(`${c.rule} at ${c.field}`, () => {
      const found = formProblems(form(c.breaks)).filter((p) => p.message === c.rule);
      expect(found).toEqual([
        { field: c.field, message: c.rule, ...(c.line !== undefined ? { line: c.line } : {}), ...(c.params ? { params: c.params } : {}) },
      ]);
      expect(formProblems(form(c.keeps))).toEqual([]);
    });
  }

  it('reports each bad key with its index and nothing of its text', () => {
    const privateKey = '-----BEGIN OPENSSH PRIVATE KEY----- SECRETMARKER -----END OPENSSH PRIVATE KEY-----';
    const problems = formProblems(form({ cloudInit: { sshKeys: [rsa1024, ed25519, privateKey, ''] } }));
    expect(problems.map((p) => [p.field, p.message])).toEqual([
      ['cloudInit.sshKeys.0', 'sshKey.weak'],
      ['cloudInit.sshKeys.2', 'sshKey.format'],
      ['cloudInit.sshKeys.3', 'sshKey.empty'],
    ]);
    expect(JSON.stringify(problems)).not.toContain('SECRETMARKER');
  });
});

describe('isImageReference', () => {
  it('takes what a container runtime takes', () => {
    for (const ok of ['fedora', 'quay.io/containerdisks/fedora:40', 'localhost:5000/disk', 'registry.example.com:5000/team/disk:v1.2-rc', `quay.io/disk@sha256:${'a'.repeat(64)}`, '[::1]:5000/disk:1']) {
      expect(isImageReference(ok), ok).toBe(true);
    }
    for (const bad of ['Fedora', 'quay.io/disk:', 'quay.io/disk:-tag', 'quay.io//disk', 'quay.io/disk@sha256:abc', 'disk name', ':tag']) {
      expect(isImageReference(bad), bad).toBe(false);
    }
  });
});

const options = (over: Partial<CreateOptions> = {}): CreateOptions => ({
  namespace: 'team-a',
  namespaces: ['team-a'],
  dataSources: [
    { namespace: 'os-images', name: 'fedora', size: '5Gi', ready: true },
    { namespace: 'os-images', name: 'importing', ready: false },
  ],
  instancetypes: [{ name: 'u1.medium', series: 'u1', size: 'medium', cpu: 1, memory: '4Gi' }],
  preferences: [{ name: 'fedora' }],
  storageClasses: [
    { name: 'standard', isDefault: true, provisioner: 'x', accessModes: ['ReadWriteOnce'], volumeModes: ['Filesystem'], snapshots: true, expansion: true, bindingMode: 'WaitForFirstConsumer' },
    { name: 'shared', isDefault: false, provisioner: 'y', accessModes: ['ReadWriteMany', 'ReadWriteOnce'], volumeModes: ['Block', 'Filesystem'], snapshots: false, expansion: false, bindingMode: 'Immediate' },
    { name: 'bare', isDefault: false, provisioner: 'z', accessModes: [], volumeModes: [], snapshots: false, expansion: false, bindingMode: 'Immediate' },
  ],
  networks: [
    { namespace: 'team-a', name: 'storage', type: 'bridge' },
    { namespace: 'infra', name: 'vf', type: 'sriov' },
  ],
  pvcs: [{ namespace: 'team-a', name: 'golden', size: '20Gi' }],
  quotas: [],
  vmNames: ['db'],
  unavailable: [],
  ...over,
});

const clusterCases: Case[] = [
  { rule: 'name.taken', field: 'name', breaks: { name: 'db' }, keeps: { name: 'db-2' } },
  {
    rule: 'instancetype.unknown',
    field: 'size.instancetype',
    breaks: { size: { kind: 'instancetype', instancetype: 'u1.huge' } },
    keeps: { size: { kind: 'instancetype', instancetype: 'u1.medium' } },
  },
  {
    rule: 'preference.unknown',
    field: 'size.preference',
    breaks: { size: { kind: 'custom', cpu: 1, memory: '1Gi', preference: 'windows' } },
    keeps: { size: { kind: 'custom', cpu: 1, memory: '1Gi', preference: 'fedora' } },
  },
  {
    rule: 'dataSource.unknown',
    field: 'bootSource.name',
    breaks: { bootSource: { kind: 'dataSource', namespace: 'os-images', name: 'centos' } },
    keeps: { bootSource: { kind: 'dataSource', namespace: 'os-images', name: 'fedora' } },
  },
  {
    rule: 'dataSource.notReady',
    field: 'bootSource.name',
    breaks: { bootSource: { kind: 'dataSource', namespace: 'os-images', name: 'importing' } },
    keeps: { bootSource: { kind: 'dataSource', namespace: 'os-images', name: 'fedora' } },
  },
  {
    rule: 'pvc.unknown',
    field: 'bootSource.name',
    breaks: { bootSource: { kind: 'pvc', namespace: 'team-a', name: 'gone' }, rootDisk: { size: '20Gi' } },
    keeps: { bootSource: { kind: 'pvc', namespace: 'team-a', name: 'golden' }, rootDisk: { size: '20Gi' } },
  },
  {
    rule: 'size.smallerThanSource',
    field: 'rootDisk.size',
    breaks: { rootDisk: { size: '4Gi' } },
    keeps: { rootDisk: { size: '5Gi' } },
    params: { min: '5Gi' },
  },
  {
    rule: 'size.smallerThanSource',
    field: 'rootDisk.size',
    breaks: { bootSource: { kind: 'pvc', namespace: 'team-a', name: 'golden' }, rootDisk: { size: '19Gi' } },
    keeps: { bootSource: { kind: 'pvc', namespace: 'team-a', name: 'golden' }, rootDisk: { size: '20Gi' } },
    params: { min: '20Gi' },
  },
  {
    rule: 'storageClass.unknown',
    field: 'extraDisks.0.storageClass',
    breaks: { extraDisks: [{ name: 'data', size: '1Gi', storageClass: 'gold' }] },
    keeps: { extraDisks: [{ name: 'data', size: '1Gi', storageClass: 'shared' }] },
  },
  {
    rule: 'storage.accessModeUnsupported',
    field: 'rootDisk.accessMode',
    breaks: { rootDisk: { size: '30Gi', accessMode: 'ReadWriteMany' } },
    keeps: { rootDisk: { size: '30Gi', accessMode: 'ReadWriteMany', storageClass: 'shared' } },
    params: { storageClass: 'standard' },
  },
  {
    rule: 'storage.accessModeRequired',
    field: 'rootDisk.accessMode',
    breaks: { rootDisk: { size: '30Gi', storageClass: 'bare' } },
    keeps: { rootDisk: { size: '30Gi', storageClass: 'bare', accessMode: 'ReadWriteOnce' } },
    params: { storageClass: 'bare' },
  },
  {
    rule: 'storage.volumeModeUnsupported',
    field: 'rootDisk.volumeMode',
    breaks: { rootDisk: { size: '30Gi', volumeMode: 'Block' } },
    keeps: { rootDisk: { size: '30Gi', volumeMode: 'Filesystem' } },
    params: { storageClass: 'standard' },
  },
  {
    rule: 'nad.unknown',
    field: 'networks.1.source.networkName',
    breaks: { networks: [pod, multus('storage', 'infra/storage')] },
    keeps: { networks: [pod, multus('storage', 'storage')] },
  },
  {
    rule: 'networks.sriovNeedsSriovNad',
    field: 'networks.1.binding',
    breaks: { networks: [pod, multus('storage', 'team-a/storage', 'sriov')] },
    keeps: { networks: [pod, multus('storage', 'team-a/storage', 'bridge')] },
    params: { type: 'bridge' },
  },
  {
    rule: 'networks.sriovNadNeedsSriov',
    field: 'networks.1.binding',
    breaks: { networks: [pod, multus('fast', 'infra/vf', 'bridge')] },
    keeps: { networks: [pod, multus('fast', 'infra/vf', 'sriov')] },
  },
];

describe('clusterProblems', () => {
  it('finds nothing in an ordinary form', () => {
    expect(clusterProblems(form(), options())).toEqual([]);
  });

  for (const c of clusterCases) {
    it(`${c.rule} at ${c.field}`, () => {
      const found = clusterProblems(form(c.breaks), options()).filter((p) => p.message === c.rule);
      expect(found).toEqual([{ field: c.field, message: c.rule, ...(c.params ? { params: c.params } : {}) }]);
      expect(clusterProblems(form(c.keeps), options())).toEqual([]);
    });
  }

  it('wants a class when the cluster has no default', () => {
    const o = options({ storageClasses: options().storageClasses.map((c) => ({ ...c, isDefault: false })) });
    expect(clusterProblems(form(), o)).toEqual([{ field: 'rootDisk.storageClass', message: 'storageClass.noDefault' }]);
    expect(clusterProblems(form({ rootDisk: { size: '30Gi', storageClass: 'standard' } }), o)).toEqual([]);
  });

  it('leaves what the user cannot read to the dry run', () => {
    const o = options({ instancetypes: [], dataSources: [], storageClasses: [], networks: [], unavailable: ['instancetypes', 'dataSources', 'storageClasses', 'networks'] });
    expect(clusterProblems(form({ networks: [pod, multus('storage', 'elsewhere')] }), o)).toEqual([]);
  });

  it('does not check the root disk of a container disk VM', () => {
    expect(clusterProblems(form({ bootSource: { kind: 'containerDisk', image: 'quay.io/disk:1' }, rootDisk: { size: '1Gi', storageClass: 'gold' } }), options())).toEqual([]);
  });
});

describe('createVmFormChecked', () => {
  it('turns the form rules into issues at their paths, with line and params', () => {
    const r = createVmFormChecked.safeParse({
      ...base,
      networks: [pod, { ...pod, name: 'second' }],
      cloudInit: { sshKeys: [rsa1024], userData: '#cloud-config\na: [1\n' },
    });
    expect(r.success).toBe(false);
    const issues = r.error!.issues.map((i) => ({ path: i.path, message: i.message, params: (i as { params?: unknown }).params }));
    expect(issues).toEqual([
      { path: ['networks', 1, 'source'], message: 'networks.podTwice', params: undefined },
      { path: ['cloudInit', 'sshKeys', 0], message: 'sshKey.weak', params: { min: 2048 } },
      { path: ['cloudInit', 'userData'], message: 'userData.yaml', params: { line: 3 } },
    ]);
  });

  it('passes a form that keeps them', () => {
    expect(createVmFormChecked.safeParse({ ...base, cloudInit: { sshKeys: [ed25519] } }).success).toBe(true);
  });
});
