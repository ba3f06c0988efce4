// Issue 4, acceptance 1: a VM whose disk comes from a DataVolume template cloned from a DataSource on the shared
// class boots from it, and what it writes there survives a restart.
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { api, subresource, serialShell } from './api.ts';
import { eventually, getJson, kubectl, kubectlOk, uniqueName, waitForPrintableStatus } from './helpers.ts';

const ns = 'team-a';
const name = uniqueName('dvvm');
afterAll(async () => {
  await kubectl(['delete', 'vm', name, '-n', ns, '--wait=false']);
});

function vmFromDataSource(dataSource: string) {
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachine',
    metadata: { name, namespace: ns },
    spec: {
      runStrategy: 'Always',
      dataVolumeTemplates: [
        {
          metadata: { name: `${name}-root` },
          spec: {
            sourceRef: { kind: 'DataSource', namespace: 'kubevirt-os-images', name: dataSource },
            storage: { storageClassName: 'sandbox-shared', resources: { requests: { storage: '1Gi' } } },
          },
        },
      ],
      template: {
        spec: {
          domain: {
            devices: {
              disks: [
                { name: 'rootdisk', disk: { bus: 'virtio' } },
                { name: 'cloudinitdisk', disk: { bus: 'virtio' } },
              ],
              interfaces: [{ name: 'default', masquerade: {} }],
            },
            resources: { requests: { memory: '128Mi' } },
          },
          networks: [{ name: 'default', pod: {} }],
          volumes: [
            { name: 'rootdisk', dataVolume: { name: `${name}-root` } },
            { name: 'cloudinitdisk', cloudInitNoCloud: { userData: '#cloud-config\n' } },
          ],
        },
      },
    },
  };
}

const shell = () => serialShell(ns, name, { as: 'dev-a', timeoutMs: 40_000 });

describe('DataVolume templates', () => {
  it('boot a VM from a DataSource clone, and keep what it writes across a restart', async () => {
    const ds = await eventually('the DataSource to be ready', async () => {
      const d = await getJson(['datasource', 'tinylinux', '-n', 'kubevirt-os-images']);
      return d?.status?.conditions?.find((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True') && d;
    }, 60_000, 500);
    expect(ds.spec.source.pvc.name).toBe('tinylinux');
    await kubectlOk(['create', '-f', '-'], { as: 'dev-a', input: YAML.stringify(vmFromDataSource('tinylinux')) });
    const dv = await eventually('the DataVolume to be populated', async () => {
      const d = await getJson(['dv', `${name}-root`, '-n', ns]);
      return d?.status?.phase === 'Succeeded' && d;
    }, 60_000, 300);
    expect(dv.status.progress).toBe('100.0%');
    expect(dv.metadata.ownerReferences[0]).toMatchObject({ kind: 'VirtualMachine', name });
    await waitForPrintableStatus(ns, name, 'Running', 60_000);

    const s1 = await shell();
    const os = await s1.run('until grep -q /mnt/rootdisk /proc/mounts; do sleep 1; done; grep ^ID= /mnt/rootdisk/os-release; echo kept > /mnt/rootdisk/mine; sync; echo written', /\nwritten\r?\n/, 40_000);
    expect(os).toContain('ID=tinylinux');
    s1.close();

    const before = (await getJson(['vmi', name, '-n', ns])).metadata.uid;
    expect((await api('PUT', subresource(ns, 'virtualmachines', name, 'restart'), { as: 'dev-a' })).status).toBe(202);
    await eventually('a new VMI running', async () => {
      const v = await getJson(['vmi', name, '-n', ns]);
      return v?.status?.phase === 'Running' && v.metadata.uid !== before;
    }, 90_000, 500);
    const s2 = await shell();
    const out = await s2.run('until grep -q /mnt/rootdisk /proc/mounts; do sleep 1; done; echo got=$(cat /mnt/rootdisk/mine)', /got=\w+\r?\n/, 40_000);
    s2.close();
    expect(out).toContain('got=kept');
  });
});

describe('DataVolume sources', () => {
  it('imports an http source from a loopback server into a claim on the default class', async () => {
    const { createServer } = await import('node:http');
    const body = Buffer.alloc(8 * 1024 * 1024, 7);
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-length': body.length });
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    const dvName = uniqueName('httpdv');
    try {
      await kubectlOk(['create', '-f', '-'], {
        as: 'dev-a',
        input: YAML.stringify({
          apiVersion: 'cdi.kubevirt.io/v1beta1',
          kind: 'DataVolume',
          metadata: { name: dvName, namespace: ns },
          spec: { source: { http: { url: `http://127.0.0.1:${port}/disk.img` } }, storage: { resources: { requests: { storage: '1Gi' } } } },
        }),
      });
      const dv = await eventually('the import to finish', async () => {
        const d = await getJson(['dv', dvName, '-n', ns]);
        return ['Succeeded', 'Failed'].includes(d?.status?.phase) && d;
      }, 60_000, 300);
      expect(dv.status.phase).toBe('Succeeded');
      expect(dv.status.conditions.find((c: { type: string }) => c.type === 'Ready').status).toBe('True');
      const pvc = await getJson(['pvc', dvName, '-n', ns]);
      expect(pvc.status.phase).toBe('Bound');
      expect(pvc.spec.accessModes).toEqual(['ReadWriteMany']); // the default class's profile
    } finally {
      server.close();
      await kubectl(['delete', 'dv', dvName, '-n', ns, '--wait=false']);
    }
  });
});
