// Issue 3: VMs that really run, lifecycle calls with KubeVirt's codes and texts, consoles that answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { api, openWebsocket, readUntil, subresource } from './api.ts';
import { docExampleVm, eventually, getJson, kubectl, kubectlOk, qemuPids, uniqueName, vmManifest, waitForPrintableStatus } from './helpers.ts';

const ns = 'team-a';
const created: string[] = [];
const createVm = async (manifest: { metadata: { name: string; namespace: string } }, as?: string) => {
  await kubectlOk(['create', '-f', '-'], { input: YAML.stringify(manifest), as });
  created.push(`${manifest.metadata.namespace}/${manifest.metadata.name}`);
};

afterAll(async () => {
  for (const key of created) {
    const [n, name] = key.split('/');
    await kubectl(['delete', 'vm', name!, '-n', n!, '--wait=false']);
  }
});

describe('a VM in the shape of KubeVirt\'s documentation example', () => {
  const name = uniqueName('docvm');
  beforeAll(async () => {
    await createVm(docExampleVm(name, ns), 'dev-a');
  });

  it('reaches Running within 20 s', async () => {
    const vm = await waitForPrintableStatus(ns, name, 'Running', 20_000);
    expect(vm.status.ready).toBe(true);
    const vmi = await getJson(['vmi', name, '-n', ns]);
    expect(vmi.status.nodeName).toMatch(/^worker-/);
    expect(vmi.status.interfaces[0].ipAddress).toMatch(/^10\.244\./);
    expect(vmi.metadata.labels['kubevirt.io/nodeName']).toBe(vmi.status.nodeName);
    const pods = JSON.parse(await kubectlOk(['get', 'pods', '-n', ns, '-l', `kubevirt.io=virt-launcher,vm.kubevirt.io/name=${name}`, '-o', 'json'])).items;
    expect(pods).toHaveLength(1);
    expect(pods[0].metadata.labels['kubevirt.io/created-by']).toBe(vmi.metadata.uid);
  });

  it('records what happened as Kubernetes events on the VM and the VMI', async () => {
    const reasons = async (kind: string) =>
      ((await getJson(['events', '-n', ns, '--field-selector', `involvedObject.name=${name},involvedObject.kind=${kind}`]))?.items ?? []).map(
        (e: { reason: string }) => e.reason,
      );
    await eventually('the VM and VMI events', async () => (await reasons('VirtualMachine')).includes('SuccessfulCreate') && (await reasons('VirtualMachineInstance')).includes('Started'), 20_000, 300);
    expect(await reasons('VirtualMachineInstance')).toContain('SuccessfulCreate');
  });

  it('answers on the serial console through the API server, with the cloud-init hostname', async () => {
    const ws = await openWebsocket(subresource(ns, 'virtualmachineinstances', name, 'console'), { as: 'dev-a' });
    expect(ws.protocol).toBe('plain.kubevirt.io');
    // The guest may still be booting: poke it until a prompt with the hostname shows.
    const poke = setInterval(() => ws.send(Buffer.from('\n')), 1000);
    ws.send(Buffer.from('\n'));
    await readUntil(ws, new RegExp(`root@${name}`), 30_000).finally(() => clearInterval(poke));
    ws.send(Buffer.from('echo sum=$((6*7)); hostname\n'));
    const out = await readUntil(ws, new RegExp(`sum=42[\\s\\S]*${name}`));
    expect(out).toContain('sum=42');
    ws.close();
  });

  it('completes an RFB handshake on the vnc websocket', async () => {
    const ws = await openWebsocket(subresource(ns, 'virtualmachineinstances', name, 'vnc'), { as: 'dev-a' });
    const chunks: Buffer[] = [];
    const next = (n: number) =>
      eventually(`${n} bytes of RFB`, async () => {
        const all = Buffer.concat(chunks);
        if (all.length < n) return undefined;
        chunks.splice(0, chunks.length, all.subarray(n));
        return all.subarray(0, n);
      }, 10_000, 20);
    ws.on('message', (d: Buffer) => chunks.push(d));
    expect((await next(12)).toString()).toBe('RFB 003.008\n');
    ws.send(Buffer.from('RFB 003.008\n'));
    const nTypes = (await next(1))[0]!;
    const types = [...(await next(nTypes))];
    expect(types).toContain(1); // None
    ws.send(Buffer.from([1]));
    expect((await next(4)).readUInt32BE(0)).toBe(0); // SecurityResult OK
    ws.send(Buffer.from([1])); // ClientInit, shared
    const init = await next(24);
    const [width, height] = [init.readUInt16BE(0), init.readUInt16BE(2)];
    expect(width).toBeGreaterThan(0);
    expect(height).toBeGreaterThan(0);
    ws.close();
  });

  it('returns a PNG screenshot of the screen', async () => {
    const r = await api('GET', subresource(ns, 'virtualmachineinstances', name, 'vnc/screenshot'), { as: 'dev-a' });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('image/png');
    expect(r.body.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  });

  it('reports the guest OS and hostname from the guest agent', async () => {
    const info = await eventually('guestosinfo', async () => {
      const r = await api('GET', subresource(ns, 'virtualmachineinstances', name, 'guestosinfo'), { as: 'dev-a' });
      return r.status === 200 && JSON.parse(r.text);
    }, 20_000, 500);
    expect(info.hostname).toBe(name);
    expect(info.os.name).toBe('Tiny Linux');
    expect(info.os.kernelRelease).toMatch(/cloud-amd64/);
    const vmi = await getJson(['vmi', name, '-n', ns]);
    expect(vmi.status.conditions.find((c: { type: string }) => c.type === 'AgentConnected')?.status).toBe('True');
    expect(vmi.status.guestOSInfo.prettyName).toBe('Tiny Linux 1.0');
  });
});

describe('lifecycle subresources', () => {
  const name = uniqueName('life');
  const vmUrl = (sub: string) => subresource(ns, 'virtualmachines', name, sub);
  const vmiUrl = (sub: string) => subresource(ns, 'virtualmachineinstances', name, sub);
  const message = (r: { text: string }) => JSON.parse(r.text).message as string;
  beforeAll(async () => {
    await createVm(docExampleVm(name, ns, 'Halted'), 'dev-a');
    await waitForPrintableStatus(ns, name, 'Stopped');
  });

  it('start: 202, then 409 while running', async () => {
    expect((await api('PUT', vmUrl('start'), { as: 'dev-a' })).status).toBe(202);
    await waitForPrintableStatus(ns, name, 'Running', 20_000);
    const again = await api('PUT', vmUrl('start'), { as: 'dev-a' });
    expect(again.status).toBe(409);
    expect(message(again)).toBe(`Operation cannot be fulfilled on virtualmachine.kubevirt.io "${name}": VM is already running`);
  });

  it('pause and unpause: 200, and 409 when not applicable', async () => {
    expect((await api('PUT', vmiUrl('pause'), { as: 'dev-a' })).status).toBe(200);
    await waitForPrintableStatus(ns, name, 'Paused');
    const twice = await api('PUT', vmiUrl('pause'), { as: 'dev-a' });
    expect(twice.status).toBe(409);
    expect(message(twice)).toContain('VMI is already paused');
    expect((await api('PUT', vmiUrl('unpause'), { as: 'dev-a' })).status).toBe(200);
    await waitForPrintableStatus(ns, name, 'Running');
    const notPaused = await api('PUT', vmiUrl('unpause'), { as: 'dev-a' });
    expect(notPaused.status).toBe(409);
    expect(message(notPaused)).toContain('VMI is not paused');
  });

  it('restart: 202, and the VMI is replaced', async () => {
    const before = (await getJson(['vmi', name, '-n', ns])).metadata.uid;
    expect((await api('PUT', vmUrl('restart'), { as: 'dev-a' })).status).toBe(202);
    await eventually('a new VMI', async () => {
      const vmi = await getJson(['vmi', name, '-n', ns]);
      return vmi && vmi.metadata.uid !== before && vmi.status?.phase === 'Running';
    }, 40_000, 300);
  });

  it('forbids a user without the verb (403 from the API server)', async () => {
    const r = await api('PUT', vmUrl('stop'), { as: 'viewer' });
    expect(r.status).toBe(403);
    expect(message(r)).toContain('User "viewer" cannot update resource "virtualmachines/stop" in API group "subresources.kubevirt.io"');
  });

  it('stop: 202, then 409 when stopped; restart of a Halted VM is refused', async () => {
    expect((await api('PUT', vmUrl('stop'), { as: 'dev-a' })).status).toBe(202);
    await waitForPrintableStatus(ns, name, 'Stopped', 40_000);
    expect(qemuPids(`${ns}_${name}`)).toEqual([]);
    const again = await api('PUT', vmUrl('stop'), { as: 'dev-a' });
    expect(again.status).toBe(409);
    expect(message(again)).toBe(`Operation cannot be fulfilled on virtualmachine.kubevirt.io "${name}": VM is not running`);
    const restart = await api('PUT', vmUrl('restart'), { as: 'dev-a' });
    expect(restart.status).toBe(409);
    expect(message(restart)).toContain('RunStategy Halted does not support manual restart requests');
    const pause = await api('PUT', vmiUrl('pause'), { as: 'dev-a' });
    expect(pause.status).toBe(404);
  });
});

describe('run strategies', () => {
  it('Always restarts a guest whose QEMU was killed; Halted stops it', async () => {
    const name = uniqueName('always');
    await createVm(docExampleVm(name, ns, 'Always'));
    await waitForPrintableStatus(ns, name, 'Running', 20_000);
    const first = (await getJson(['vmi', name, '-n', ns])).metadata.uid;
    const [pid] = qemuPids(`${ns}_${name}`);
    expect(pid).toBeGreaterThan(0);
    process.kill(pid!, 'SIGKILL');
    await eventually('a replacement VMI running', async () => {
      const vmi = await getJson(['vmi', name, '-n', ns]);
      return vmi && vmi.metadata.uid !== first && vmi.status?.phase === 'Running';
    }, 60_000, 300);
    await kubectlOk(['patch', 'vm', name, '-n', ns, '--type=merge', '-p', '{"spec":{"runStrategy":"Halted"}}']);
    await waitForPrintableStatus(ns, name, 'Stopped', 40_000);
    expect(qemuPids(`${ns}_${name}`)).toEqual([]);
  });

  it('Manual does not start by itself; RerunOnFailure does not restart a guest that shut down', async () => {
    const manual = uniqueName('manual');
    await createVm(docExampleVm(manual, ns, 'Manual'));
    const rerun = uniqueName('rerun');
    await createVm(docExampleVm(rerun, ns, 'RerunOnFailure'));
    await waitForPrintableStatus(ns, rerun, 'Running', 20_000);
    expect((await getJson(['vm', manual, '-n', ns])).status.printableStatus).toBe('Stopped');
    // The guest powers itself off from its console: the VMI ends Succeeded and stays down.
    const ws = await openWebsocket(subresource(ns, 'virtualmachineinstances', rerun, 'console'));
    const poke = setInterval(() => ws.send(Buffer.from('\n')), 1000);
    await readUntil(ws, new RegExp(`root@${rerun}`), 30_000).finally(() => clearInterval(poke));
    ws.send(Buffer.from('poweroff\n'));
    ws.close();
    await waitForPrintableStatus(ns, rerun, 'Stopped', 40_000);
    await new Promise((r) => setTimeout(r, 3000));
    expect((await getJson(['vm', rerun, '-n', ns])).status.printableStatus).toBe('Stopped');
  });
});

describe('validating webhook', () => {
  it('refuses a VM with neither running nor runStrategy', async () => {
    const vm = vmManifest(uniqueName('nostrategy'), ns) as { spec: Record<string, unknown>; metadata: { name: string; namespace: string } };
    delete vm.spec.runStrategy;
    const r = await kubectl(['create', '-f', '-'], { input: YAML.stringify(vm) });
    expect(r.status).not.toBe(0);
    // The webhook's 422 carries causes, which kubectl prints as "The request is invalid: <field>: <message>".
    expect(r.stderr).toContain('The request is invalid: spec.running: RunStrategy must be specified');
  });

  it('refuses masquerade on a Multus network', async () => {
    const vm = docExampleVm(uniqueName('badnet'), ns) as any;
    vm.spec.template.spec.domain.devices.interfaces.push({ name: 'extra', masquerade: {} });
    vm.spec.template.spec.networks.push({ name: 'extra', multus: { networkName: 'some-nad' } });
    const r = await kubectl(['create', '-f', '-'], { input: YAML.stringify(vm) });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('Masquerade interface only implemented with pod network');
  });
});

describe('clean-up', () => {
  it('deleting a VM stops its QEMU process', async () => {
    const name = uniqueName('gone');
    await createVm(docExampleVm(name, ns));
    await waitForPrintableStatus(ns, name, 'Running', 20_000);
    const pids = qemuPids(`${ns}_${name}`);
    expect(pids).toHaveLength(1);
    await kubectlOk(['delete', 'vm', name, '-n', ns, '--timeout=60s']);
    await eventually('the VMI to be gone', async () => !(await getJson(['vmi', name, '-n', ns])), 60_000);
    expect(qemuPids(`${ns}_${name}`)).toEqual([]);
  });
});
