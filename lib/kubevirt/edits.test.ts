import { describe, expect, it } from 'vitest';
import {
  EDIT_ACCESS,
  editBody,
  editPatch,
  editRequest,
  editValues,
  EditRefusal,
  escapePointer,
  planEdit,
  rebaseEdit,
  restartRequired,
  VM_EDITS,
  type EditValues,
} from './edits';
import { annotationKeyProblem, isManagedKey, labelKeyProblem, labelValueProblem, metadataProblems } from './metadata-keys';
import type { VirtualMachine } from './types';

type Spec = Record<string, unknown>;
const vmOf = (o: { labels?: Record<string, string>; annotations?: Record<string, string>; spec?: Spec; domain?: Spec; status?: Spec; deleting?: boolean } = {}): VirtualMachine =>
  ({
    metadata: {
      name: 'vm',
      namespace: 'team-a',
      resourceVersion: '42',
      ...(o.labels ? { labels: o.labels } : {}),
      ...(o.annotations ? { annotations: o.annotations } : {}),
      ...(o.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
    },
    spec: {
      runStrategy: 'Always',
      template: { spec: { domain: o.domain ?? { cpu: { cores: 1 }, devices: {}, resources: { requests: { memory: '128Mi' } } } } },
      ...o.spec,
    },
    ...(o.status ? { status: o.status } : {}),
  }) as unknown as VirtualMachine;

const fail = (fn: () => unknown): EditRefusal => {
  try {
    fn();
  } catch (e) {
    if (e instanceof EditRefusal) return e;
    throw e;
  }
  throw new Error('expected a refusal');
};

describe('the declared edits', () => {
  it('each asks for patch on virtualmachines.kubevirt.io', () => {
    for (const def of Object.values(VM_EDITS)) expect(def.access).toEqual({ verb: 'patch', group: 'kubevirt.io', resource: 'virtualmachines' });
    expect(EDIT_ACCESS).toHaveLength(3);
  });

  it('spec edits wait for a snapshot to finish, the run strategy for a restore too; metadata stays editable', () => {
    const snap = vmOf({ status: { snapshotInProgress: 'snap-1' } });
    expect(VM_EDITS.editSize.applies(snap)).toEqual({ ok: false, reasonKey: 'edit.reason.snapshotInProgress', vars: { name: 'snap-1' } });
    expect(VM_EDITS.editRunStrategy.applies(snap)).toMatchObject({ ok: false });
    expect(VM_EDITS.editMetadata.applies(snap)).toEqual({ ok: true });
    const restore = vmOf({ status: { restoreInProgress: 'r-1' } });
    expect(VM_EDITS.editRunStrategy.applies(restore)).toEqual({ ok: false, reasonKey: 'edit.reason.restoreInProgress', vars: { name: 'r-1' } });
    expect(VM_EDITS.editSize.applies(restore)).toEqual({ ok: true });
    for (const def of Object.values(VM_EDITS)) expect(def.applies(vmOf({ deleting: true }))).toEqual({ ok: false, reasonKey: 'reason.terminating' });
    expect(VM_EDITS.editSize.applies(vmOf({ spec: { instancetype: { inferFromVolume: 'rootdisk' } } }))).toMatchObject({ ok: false, reasonKey: 'edit.reason.inferredInstancetype' });
  });
});

describe('Kubernetes key and value rules', () => {
  it.each([
    ['app', undefined],
    ['app.kubernetes.io/name', undefined],
    ['example.com/a_b.c-d', undefined],
    ['A9', undefined],
    ['', 'edit.error.key.required'],
    ['a/b/c', 'edit.error.key.slashes'],
    ['/name', 'edit.error.key.prefix'],
    ['Example.com/name', 'edit.error.key.prefix'],
    ['exa_mple.com/name', 'edit.error.key.prefix'],
    ['example.com/', 'edit.error.key.name'],
    ['-name', 'edit.error.key.name'],
    ['name-', 'edit.error.key.name'],
    ['has space', 'edit.error.key.name'],
    ['x'.repeat(64), 'edit.error.key.name'],
    [`${'a'.repeat(254)}/x`, 'edit.error.key.prefix'],
    ['kubevirt.io/os', 'edit.error.key.managed'],
    ['vm.kubevirt.io/template', 'edit.error.key.managed'],
  ])('label key %j: %s', (key, problem) => expect(labelKeyProblem(key)).toBe(problem));

  it('an annotation key is checked lower-cased, as the API server does', () => {
    expect(annotationKeyProblem('Example.com/Note')).toBeUndefined();
    expect(labelKeyProblem('Example.com/Note')).toBe('edit.error.key.prefix');
  });

  it.each([
    ['', undefined],
    ['v1.2_3-x', undefined],
    ['x'.repeat(63), undefined],
    ['x'.repeat(64), 'edit.error.value.label'],
    ['-x', 'edit.error.value.label'],
    ['a b', 'edit.error.value.label'],
  ])('label value %j: %s', (v, problem) => expect(labelValueProblem(v)).toBe(problem));

  it('KubeVirt owns kubevirt.io/ and its subdomains, not look-alikes', () => {
    expect(isManagedKey('kubevirt.io/latest-observed-api-version')).toBe(true);
    expect(isManagedKey('instancetype.kubevirt.io/default-preference')).toBe(true);
    expect(isManagedKey('notkubevirt.io/x')).toBe(false);
    expect(isManagedKey('kubevirt.io')).toBe(false);
  });

  it('annotations are held to 256 KiB in all, KubeVirt\'s own counted', () => {
    const big = { note: 'x'.repeat(256 * 1024 - 10) };
    expect(metadataProblems('annotations', big)).toEqual([]);
    expect(metadataProblems('annotations', big, { 'kubevirt.io/x': 'y'.repeat(10) })).toEqual([{ key: '', part: 'map', problem: 'edit.error.annotations.tooLarge' }]);
  });
});

describe('JSON pointers', () => {
  it('escape ~ before / (RFC 6901)', () => {
    expect(escapePointer('example.com/name')).toBe('example.com~1name');
    expect(escapePointer('a~b')).toBe('a~0b');
    expect(escapePointer('a/~1')).toBe('a~1~01');
  });
});

describe('planEdit: only what changed', () => {
  it('labels: added, changed and removed keys one by one; KubeVirt\'s keys untouched; keys escaped', () => {
    const vm = vmOf({ labels: { 'kubevirt.io/os': 'linux', keep: 'same', change: 'old', drop: 'x', 'a/b~c': '1' } });
    const plan = planEdit(vm, { labels: { keep: 'same', change: 'new', 'example.com/team': 'blue', 'a/b~c': '1' } });
    expect(plan.ops).toEqual([
      { op: 'remove', path: '/metadata/labels/drop' },
      { op: 'replace', path: '/metadata/labels/change', value: 'new' },
      { op: 'add', path: '/metadata/labels/example.com~1team', value: 'blue' },
    ]);
    expect(plan.changes).toEqual([{ id: 'editMetadata', paths: plan.ops.map((o) => o.path) }]);
  });

  it('a VM without labels gets the map at once; an unchanged map is no change', () => {
    expect(planEdit(vmOf(), { labels: { team: 'blue' } }).ops).toEqual([{ op: 'add', path: '/metadata/labels', value: { team: 'blue' } }]);
    expect(planEdit(vmOf(), { labels: {} })).toEqual({ ops: [], changes: [] });
    expect(planEdit(vmOf({ annotations: { a: '1' } }), { annotations: { a: '1' } })).toEqual({ ops: [], changes: [] });
  });

  it('annotations too large with KubeVirt\'s own are refused before anything is sent', () => {
    const vm = vmOf({ annotations: { 'kubevirt.io/big': 'x'.repeat(200 * 1024) } });
    expect(fail(() => planEdit(vm, { annotations: { note: 'y'.repeat(60 * 1024) } })).key).toBe('edit.error.annotations.tooLarge');
  });

  it('memory in a request (the docs\' VM): the request changes, a limit that equalled it follows, a different one stays', () => {
    expect(planEdit(vmOf(), { size: { kind: 'custom', cpu: 1, memory: '160Mi' } }).ops).toEqual([{ op: 'replace', path: '/spec/template/spec/domain/resources/requests/memory', value: '160Mi' }]);
    const guaranteed = vmOf({ domain: { cpu: { cores: 1 }, resources: { requests: { memory: '1Gi' }, limits: { memory: '1024Mi' } } } });
    expect(planEdit(guaranteed, { size: { kind: 'custom', cpu: 1, memory: '2Gi' } }).ops.map((o) => o.path)).toEqual([
      '/spec/template/spec/domain/resources/requests/memory',
      '/spec/template/spec/domain/resources/limits/memory',
    ]);
    const burstable = vmOf({ domain: { cpu: { cores: 1 }, resources: { requests: { memory: '1Gi' }, limits: { memory: '4Gi' } } } });
    expect(planEdit(burstable, { size: { kind: 'custom', cpu: 1, memory: '2Gi' } }).ops.map((o) => o.path)).toEqual(['/spec/template/spec/domain/resources/requests/memory']);
    expect(fail(() => planEdit(burstable, { size: { kind: 'custom', cpu: 1, memory: '8Gi' } }))).toMatchObject({ field: 'size.memory', key: 'edit.error.memory.aboveLimit', vars: { limit: '4Gi' } });
  });

  it('memory.guest: replaced, with a request that followed it; added when the VM states none; 1Gi = 1024Mi is no change', () => {
    const guest = vmOf({ domain: { cpu: { cores: 2 }, memory: { guest: '1Gi' }, resources: { requests: { memory: '1Gi' } } } });
    expect(planEdit(guest, { size: { kind: 'custom', cpu: 2, memory: '2Gi' } }).ops).toEqual([
      { op: 'replace', path: '/spec/template/spec/domain/memory/guest', value: '2Gi' },
      { op: 'replace', path: '/spec/template/spec/domain/resources/requests/memory', value: '2Gi' },
    ]);
    expect(planEdit(guest, { size: { kind: 'custom', cpu: 2, memory: '1024Mi' } }).ops).toEqual([]);
    expect(planEdit(vmOf({ domain: { cpu: { cores: 1 } } }), { size: { kind: 'custom', cpu: 1, memory: '1Gi' } }).ops).toEqual([{ op: 'add', path: '/spec/template/spec/domain/memory', value: { guest: '1Gi' } }]);
    const max = vmOf({ domain: { memory: { guest: '1Gi', maxGuest: '4Gi' } } });
    expect(fail(() => planEdit(max, { size: { kind: 'custom', cpu: 1, memory: '8Gi' } }))).toMatchObject({ key: 'edit.error.memory.aboveMax', vars: { max: '4Gi' } });
  });

  it('vCPUs on the axis the VM uses, the other factors kept', () => {
    const cores = (cpu: Spec) => vmOf({ domain: { cpu, resources: { requests: { memory: '1Gi' } } } });
    const cpuOps = (cpu: Spec | undefined, n: number) => planEdit(cpu ? cores(cpu) : vmOf({ domain: { resources: { requests: { memory: '1Gi' } } } }), { size: { kind: 'custom', cpu: n, memory: '1Gi' } }).ops;
    expect(cpuOps({ cores: 1 }, 4)).toEqual([{ op: 'replace', path: '/spec/template/spec/domain/cpu/cores', value: 4 }]);
    expect(cpuOps({ sockets: 2 }, 4)).toEqual([{ op: 'replace', path: '/spec/template/spec/domain/cpu/sockets', value: 4 }]);
    expect(cpuOps({ sockets: 2, cores: 2 }, 6)).toEqual([{ op: 'replace', path: '/spec/template/spec/domain/cpu/cores', value: 3 }]);
    expect(cpuOps({ model: 'host-model' }, 2)).toEqual([{ op: 'add', path: '/spec/template/spec/domain/cpu/sockets', value: 2 }]);
    expect(cpuOps(undefined, 2)).toEqual([{ op: 'add', path: '/spec/template/spec/domain/cpu', value: { sockets: 2 } }]);
    expect(cpuOps({ cores: 2 }, 2)).toEqual([]);
    expect(fail(() => cpuOps({ cores: 2, threads: 2 }, 3))).toMatchObject({ field: 'size.cpu', key: 'edit.error.cpu.notDivisible', vars: { per: 2 } });
    expect(fail(() => cpuOps({ sockets: 2, maxSockets: 4 }, 8))).toMatchObject({ key: 'edit.error.cpu.aboveMax', vars: { max: 4 } });
  });

  it('the instance type: name changed, cluster kind, the pinned revision cleared', () => {
    const vm = vmOf({ spec: { instancetype: { kind: 'VirtualMachineInstancetype', name: 'mine', revisionName: 'vm-mine-v1beta1-abc-1' } } });
    expect(planEdit(vm, { size: { kind: 'instancetype', name: 'u1.small' } }).ops).toEqual([
      { op: 'replace', path: '/spec/instancetype/name', value: 'u1.small' },
      { op: 'replace', path: '/spec/instancetype/kind', value: 'VirtualMachineClusterInstancetype' },
      { op: 'remove', path: '/spec/instancetype/revisionName' },
    ]);
    const cluster = vmOf({ spec: { instancetype: { kind: 'virtualmachineclusterinstancetype', name: 'u1.nano' } } });
    expect(planEdit(cluster, { size: { kind: 'instancetype', name: 'u1.nano' } }).ops).toEqual([]);
    expect(planEdit(cluster, { size: { kind: 'instancetype', name: 'u1.small' } }).ops).toEqual([{ op: 'replace', path: '/spec/instancetype/name', value: 'u1.small' }]);
    expect(fail(() => planEdit(cluster, { size: { kind: 'custom', cpu: 2, memory: '2Gi' } })).key).toBe('edit.error.size.hasInstancetype');
    expect(fail(() => planEdit(vmOf(), { size: { kind: 'instancetype', name: 'u1.small' } })).key).toBe('edit.error.size.notInstancetype');
  });

  it('the run strategy: replaced; a VM still on spec.running moves to runStrategy', () => {
    expect(planEdit(vmOf(), { runStrategy: 'Manual' }).ops).toEqual([{ op: 'replace', path: '/spec/runStrategy', value: 'Manual' }]);
    expect(planEdit(vmOf(), { runStrategy: 'Always' }).ops).toEqual([]);
    const legacy = vmOf({ spec: { runStrategy: undefined, running: true } });
    expect(planEdit(legacy, { runStrategy: 'Halted' }).ops).toEqual([
      { op: 'remove', path: '/spec/running' },
      { op: 'add', path: '/spec/runStrategy', value: 'Halted' },
    ]);
    expect(planEdit(legacy, { runStrategy: 'Always' }).ops).toEqual([]);
  });

  it('several sections: one list of operations, a change record per section, the test first in the patch', () => {
    const plan = planEdit(vmOf({ labels: { a: '1' } }), { labels: { a: '2' }, size: { kind: 'custom', cpu: 2, memory: '128Mi' }, runStrategy: 'Halted' });
    expect(plan.changes.map((c) => c.id)).toEqual(['editMetadata', 'editSize', 'editRunStrategy']);
    const patch = editPatch('42', plan);
    expect(patch[0]).toEqual({ op: 'test', path: '/metadata/resourceVersion', value: '42' });
    expect(patch).toHaveLength(4);
  });
});

describe('the request', () => {
  const rv = { resourceVersion: '42' };
  it('names the problems of each key, refuses KubeVirt\'s keys, an empty request and an unknown strategy', () => {
    const r = editRequest.safeParse({ ...rv, labels: { 'bad key': 'x', good: 'bad value!', 'kubevirt.io/os': 'x' } });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['labels.bad key', 'edit.error.key.name'],
      ['labels.good', 'edit.error.value.label'],
      ['labels.kubevirt.io/os', 'edit.error.key.managed'],
    ]);
    expect(editRequest.safeParse(rv).success).toBe(false);
    expect(editRequest.safeParse({ ...rv, runStrategy: 'WaitAsReceiver' }).success).toBe(false);
    expect(editRequest.safeParse({ ...rv, runStrategy: 'Once' }).success).toBe(true);
    expect(editRequest.safeParse({ ...rv, extra: 1, runStrategy: 'Once' }).success).toBe(false);
  });

  it('holds memory and vCPUs to the wizard\'s bounds', () => {
    const size = (cpu: number, memory: string) => editRequest.safeParse({ ...rv, size: { kind: 'custom', cpu, memory } });
    expect(size(2, '2Gi').success).toBe(true);
    expect(size(0, '2Gi').success).toBe(false);
    expect(size(65, '2Gi').success).toBe(false);
    expect(size(1.5, '2Gi').success).toBe(false);
    expect(size(1, '32Mi').error!.issues[0]!.message).toBe('create.error.memory.tooSmall');
    expect(size(1, '2 GB').success).toBe(false);
  });

  it('editBody sends only the sections that differ from where the form started', () => {
    const base: EditValues = { labels: { a: '1' }, annotations: {}, size: { kind: 'custom', cpu: 1, memory: '1Gi' }, runStrategy: 'Always' };
    expect(editBody('7', base, { ...base, size: { kind: 'custom', cpu: 1, memory: '1024Mi' } })).toBeUndefined();
    expect(editBody('7', base, { ...base, labels: { a: '1', b: '2' }, runStrategy: 'Manual' })).toEqual({ resourceVersion: '7', labels: { a: '1', b: '2' }, runStrategy: 'Manual' });
  });
});

describe('values and rebasing', () => {
  it('the form\'s values leave KubeVirt\'s keys out', () => {
    const v = editValues(vmOf({ labels: { 'kubevirt.io/os': 'linux', team: 'a' }, annotations: { 'kubevirt.io/latest-observed-api-version': 'v1' } }));
    expect(v).toEqual({ labels: { team: 'a' }, annotations: {}, size: { kind: 'custom', cpu: 1, memory: '128Mi' }, runStrategy: 'Always' });
    expect(editValues(vmOf({ spec: { instancetype: { name: 'u1.nano' } } })).size).toEqual({ kind: 'instancetype', name: 'u1.nano' });
  });

  it('carries the user\'s own changes onto the latest version, and keeps everyone else\'s', () => {
    const base: EditValues = { labels: { a: '1', b: '1', gone: 'x' }, annotations: { n: '1' }, size: { kind: 'custom', cpu: 1, memory: '1Gi' }, runStrategy: 'Always' };
    const mine: EditValues = { labels: { a: '2', b: '1', mine: 'y' }, annotations: { n: '1' }, size: { kind: 'custom', cpu: 2, memory: '1Gi' }, runStrategy: 'Always' };
    const latest: EditValues = { labels: { a: '1', b: '9', gone: 'x', theirs: 'z' }, annotations: { n: '5' }, size: { kind: 'custom', cpu: 1, memory: '1Gi' }, runStrategy: 'Manual' };
    expect(rebaseEdit(base, mine, latest)).toEqual({
      labels: { a: '2', b: '9', theirs: 'z', mine: 'y' },
      annotations: { n: '5' },
      size: { kind: 'custom', cpu: 2, memory: '1Gi' },
      runStrategy: 'Manual',
    });
  });
});

describe('RestartRequired', () => {
  it('is read from the VM\'s condition with its message', () => {
    expect(restartRequired(vmOf())).toBeUndefined();
    const vm = vmOf({ status: { conditions: [{ type: 'RestartRequired', status: 'True', message: 'a non-live-updatable field was changed in the template spec', lastTransitionTime: '2026-01-01T00:00:00Z' }] } });
    expect(restartRequired(vm)).toEqual({ message: 'a non-live-updatable field was changed in the template spec', since: '2026-01-01T00:00:00Z' });
    expect(restartRequired(vmOf({ status: { conditions: [{ type: 'RestartRequired', status: 'False' }] } }))).toBeUndefined();
  });
});
