// Issue 2, acceptance 2: a real API server with KubeVirt's CRDs that validate and prune like a real cluster.
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, kubectl, kubectlOk, uniqueName, vmManifest } from './helpers.ts';
import { paths, versions } from '../launcher/paths.ts';

const expectedCrds = [
  'kubevirts.kubevirt.io',
  'virtualmachines.kubevirt.io',
  'virtualmachineinstances.kubevirt.io',
  'virtualmachineinstancemigrations.kubevirt.io',
  'virtualmachinesnapshots.snapshot.kubevirt.io',
  'virtualmachinesnapshotcontents.snapshot.kubevirt.io',
  'virtualmachinerestores.snapshot.kubevirt.io',
  'virtualmachineclones.clone.kubevirt.io',
  'virtualmachineinstancereplicasets.kubevirt.io',
  'virtualmachineinstancepresets.kubevirt.io',
  'virtualmachinepools.pool.kubevirt.io',
  'virtualmachineexports.export.kubevirt.io',
  'virtualmachineinstancetypes.instancetype.kubevirt.io',
  'virtualmachineclusterinstancetypes.instancetype.kubevirt.io',
  'virtualmachinepreferences.instancetype.kubevirt.io',
  'virtualmachineclusterpreferences.instancetype.kubevirt.io',
  'migrationpolicies.migrations.kubevirt.io',
  'datavolumes.cdi.kubevirt.io',
  'datasources.cdi.kubevirt.io',
  'network-attachment-definitions.k8s.cni.cncf.io',
  'volumesnapshots.snapshot.storage.k8s.io',
  'volumesnapshotcontents.snapshot.storage.k8s.io',
  'volumesnapshotclasses.snapshot.storage.k8s.io',
];

describe('control plane', () => {
  it('reports the real server version', async () => {
    const v = JSON.parse(await kubectlOk(['version', '-o', 'json']));
    expect(v.serverVersion.gitVersion).toBe(versions.kubernetes);
    expect(v.serverVersion.minor).toBe(versions.kubernetes.split('.')[1]);
  });

  it('lists every CRD the sandbox promises', async () => {
    const names = (await kubectlOk(['get', 'crd', '-o', 'name'])).split('\n').map((l) => l.replace('customresourcedefinition.apiextensions.k8s.io/', ''));
    for (const crd of expectedCrds) expect(names).toContain(crd);
  });

  it('explains VirtualMachine fields from the structural schema', async () => {
    const out = await kubectlOk(['explain', 'virtualmachine.spec.runStrategy']);
    expect(out).toMatch(/KIND:\s+VirtualMachine/);
    expect(out).toMatch(/FIELD:\s+runStrategy/);
    expect(out).toMatch(/Running state indicates the requested running state/i);
  });

  it('prunes unknown fields, and strict validation reports them', async () => {
    const name = uniqueName('pruned');
    const vm = vmManifest(name, 'default');
    (vm.spec.template.spec.domain as Record<string, unknown>).notARealField = 'x';
    const manifest = YAML.stringify(vm);

    const strict = await kubectl(['create', '--validate=strict', '-f', '-'], { input: manifest });
    expect(strict.status).not.toBe(0);
    expect(strict.stderr).toMatch(/unknown field "spec\.template\.spec\.domain\.notARealField"/);

    await kubectlOk(['create', '--validate=false', '-f', '-'], { input: manifest });
    try {
      const stored = JSON.parse(await kubectlOk(['get', 'vm', name, '-n', 'default', '-o', 'json']));
      expect(stored.spec.template.spec.domain).not.toHaveProperty('notARealField');
      expect(stored.spec.template.spec.domain.resources.requests.memory).toBe('128Mi');
    } finally {
      await kubectl(['delete', 'vm', name, '-n', 'default', '--wait=false']);
    }
  });

  it('prints KubeVirt short names and columns', async () => {
    const out = await kubectlOk(['api-resources', '--api-group=kubevirt.io', '-o', 'wide']);
    expect(out).toMatch(/virtualmachines\s+vm,vms\s+kubevirt\.io\/v1\s+true\s+VirtualMachine/);
    expect(out).toMatch(/virtualmachineinstances\s+vmi,vmis\s+kubevirt\.io\/v1\s+true\s+VirtualMachineInstance/);
  });

  it('shows KubeVirt installed and healthy, with its components running', async () => {
    const kv = JSON.parse(await kubectlOk(['get', 'kubevirt', 'kubevirt', '-n', 'kubevirt', '-o', 'json']));
    const cond = (t: string) => kv.status.conditions.find((c: { type: string }) => c.type === t)?.status;
    expect(kv.status.phase).toBe('Deployed');
    expect([cond('Available'), cond('Created'), cond('Progressing'), cond('Degraded')]).toEqual(['True', 'True', 'False', 'False']);
    expect(kv.status.observedKubeVirtVersion).toBe(versions.kubevirt);
    expect(kv.status.observedGeneration).toBe(kv.metadata.generation);
    expect(kv.spec.configuration.developerConfiguration.featureGates).toContain('Snapshot');

    const pods = JSON.parse(await kubectlOk(['get', 'pods', '-n', 'kubevirt', '-o', 'json'])).items;
    for (const component of ['virt-operator', 'virt-api', 'virt-controller', 'virt-handler']) {
      const mine = pods.filter((p: { metadata: { labels: Record<string, string> } }) => p.metadata.labels['kubevirt.io'] === component);
      expect(mine.length, component).toBeGreaterThan(0);
      for (const p of mine) expect(p.status.phase, `${component} ${p.metadata.name}`).toBe('Running');
    }
    const apiservice = JSON.parse(await kubectlOk(['get', 'apiservice', 'v1.subresources.kubevirt.io', '-o', 'json']));
    expect(apiservice.status.conditions.find((c: { type: string }) => c.type === 'Available').status).toBe('True');
  });

  it('has Ready nodes: two schedulable workers and a tainted control-plane node', async () => {
    const nodes = JSON.parse(await kubectlOk(['get', 'nodes', '-o', 'json'])).items as {
      metadata: { name: string; labels: Record<string, string> };
      spec: { taints?: { key: string }[] };
      status: { conditions: { type: string; status: string }[]; allocatable: Record<string, string> };
    }[];
    for (const n of nodes) expect(n.status.conditions.find((c) => c.type === 'Ready')?.status, n.metadata.name).toBe('True');
    const workers = nodes.filter((n) => n.metadata.labels['kubevirt.io/schedulable'] === 'true');
    expect(workers.length).toBeGreaterThanOrEqual(2);
    for (const w of workers) expect(w.status.allocatable.cpu).toBe('16');
    const cp = nodes.find((n) => 'node-role.kubernetes.io/control-plane' in n.metadata.labels);
    expect(cp?.spec.taints?.map((t) => t.key)).toContain('node-role.kubernetes.io/control-plane');
  });

  it('offers a default StorageClass with snapshots and a local one without', async () => {
    const scs = JSON.parse(await kubectlOk(['get', 'storageclass', '-o', 'json'])).items as {
      metadata: { name: string; annotations?: Record<string, string> };
      provisioner: string;
    }[];
    const def = scs.filter((s) => s.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true');
    expect(def).toHaveLength(1);
    const vsc = JSON.parse(await kubectlOk(['get', 'volumesnapshotclass', '-o', 'json'])).items as { driver: string }[];
    expect(vsc.map((c) => c.driver)).toContain(def[0]!.provisioner);
    expect(scs.filter((s) => !vsc.some((c) => c.driver === s.provisioner)).length).toBeGreaterThanOrEqual(1);
  });

  it('records who did what in the audit log', async () => {
    const name = uniqueName('audited');
    await kubectlOk(['create', 'configmap', name, '-n', 'team-a'], { as: 'dev-a' });
    await kubectlOk(['delete', 'configmap', name, '-n', 'team-a']);
    const entry = await eventually('the audit entry', async () =>
      readFileSync(join(paths.logs, 'audit.log'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
        .find((e) => e.verb === 'create' && e.objectRef?.name === name && e.stage === 'ResponseComplete'),
    );
    expect(entry.user.username).toBe('dev-a');
    expect(entry.level).toBe('Metadata');
    expect(entry.responseStatus.code).toBe(201);
  });
});
