// Issue 2, acceptance 4 and 5: real quota admission and status, real namespace deletion and garbage collection.
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { eventually, kubectl, kubectlOk, uniqueName, vmManifest } from './helpers.ts';
import { teamObjects } from '../launcher/seed.ts';

const apply = (objs: object[]) => kubectlOk(['apply', '-f', '-'], { input: objs.map((o) => YAML.stringify(o)).join('---\n') });

describe('quota', () => {
  it('rejects the third VM when count/virtualmachines.kubevirt.io is 2, and fills status.used', async () => {
    // A team namespace made like team-a and team-b, with the VM count limited to 2.
    const ns = uniqueName('team-quota');
    const objs = teamObjects({ name: ns, editorsGroup: ns }) as { kind: string; spec?: { hard?: Record<string, string> } }[];
    objs.find((o) => o.kind === 'ResourceQuota')!.spec!.hard!['count/virtualmachines.kubevirt.io'] = '2';
    await apply(objs);
    try {
      // The quota controller computes status.used before admission will count against it.
      await eventually('quota status', async () => {
        const q = JSON.parse(await kubectlOk(['get', 'resourcequota', 'team-quota', '-n', ns, '-o', 'json']));
        return q.status?.used?.['count/virtualmachines.kubevirt.io'] === '0';
      });
      for (const i of [1, 2]) await kubectlOk(['create', '-f', '-'], { input: YAML.stringify(vmManifest(`vm-${i}`, ns)) });
      const third = await kubectl(['create', '-f', '-'], { input: YAML.stringify(vmManifest('vm-3', ns)) });
      expect(third.status).not.toBe(0);
      expect(third.stderr).toContain(
        `virtualmachines.kubevirt.io "vm-3" is forbidden: exceeded quota: team-quota, requested: count/virtualmachines.kubevirt.io=1, used: count/virtualmachines.kubevirt.io=2, limited: count/virtualmachines.kubevirt.io=2`,
      );
      const q = JSON.parse(await kubectlOk(['get', 'resourcequota', 'team-quota', '-n', ns, '-o', 'json']));
      expect(q.status.used['count/virtualmachines.kubevirt.io']).toBe('2');
      expect(q.status.hard['count/virtualmachines.kubevirt.io']).toBe('2');
    } finally {
      await kubectl(['delete', 'namespace', ns, '--wait=false']);
    }
  });
});

describe('namespace deletion and garbage collection', () => {
  it('finishes deleting a namespace that holds VMs and other objects', async () => {
    const ns = uniqueName('doomed');
    await kubectlOk(['create', 'namespace', ns]);
    await kubectlOk(['create', '-f', '-'], { input: YAML.stringify(vmManifest('vm', ns)) });
    await kubectlOk(['create', 'configmap', 'cm', '-n', ns]);
    await kubectlOk(['delete', 'namespace', ns, '--wait=false']);
    await eventually('the namespace to be gone', async () => (await kubectl(['get', 'namespace', ns])).stderr.includes('NotFound'), 60_000, 500);
  });

  it('deletes dependents when their owner is deleted', async () => {
    const ns = 'default';
    const owner = uniqueName('owner');
    await kubectlOk(['create', 'configmap', owner, '-n', ns]);
    const uid = (await kubectlOk(['get', 'configmap', owner, '-n', ns, '-o', 'jsonpath={.metadata.uid}'])).trim();
    const dependent = uniqueName('dependent');
    await kubectlOk(['create', '-f', '-'], {
      input: YAML.stringify({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: dependent, namespace: ns, ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: owner, uid }] },
        stringData: { a: 'b' },
      }),
    });
    await kubectlOk(['delete', 'configmap', owner, '-n', ns]);
    await eventually('the dependent to be collected', async () => (await kubectl(['get', 'secret', dependent, '-n', ns])).stderr.includes('NotFound'), 60_000, 500);
  });
});
