// Issue 14: what KubeVirt's own client, virtctl, found. Each request here is the body virtctl sends (Go's JSON of
// KubeVirt's option structs, empty fields included), so the faults it met are reproduced as it met them.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import YAML from 'yaml';
import { api, openWebsocket, readUntil, serialShell, subresource } from './api.ts';
import { createClaim, docExampleVm, eventually, getJson, kubectl, kubectlOk, uniqueName, vmManifest, waitForPrintableStatus } from './helpers.ts';

const ns = 'team-a';
const vms: string[] = [];
const pvcs: string[] = [];
afterAll(async () => {
  for (const name of vms) await kubectl(['delete', 'vm', name, '-n', ns, '--wait=false']);
  for (const name of pvcs) await kubectl(['delete', 'pvc', name, '-n', ns, '--wait=false', '--ignore-not-found']);
});

async function createVm(manifest: { metadata: { name: string } }) {
  await kubectlOk(['create', '-f', '-'], { input: YAML.stringify(manifest), as: 'dev-a' });
  vms.push(manifest.metadata.name);
}

const put = (kind: 'virtualmachines' | 'virtualmachineinstances', name: string, sub: string, body: unknown) =>
  api('PUT', subresource(ns, kind, name, sub), { as: 'dev-a', body });

const vmiOf = (name: string) => getJson(['vmi', name, '-n', ns]);

async function runningVmi(name: string, timeoutMs = 60_000) {
  return eventually(`VMI ${name} Running`, async () => {
    const vmi = await vmiOf(name);
    return vmi?.status?.phase === 'Running' && !vmi.metadata.deletionTimestamp && vmi;
  }, timeoutMs, 250);
}

async function warningReasons(name: string): Promise<{ reason: string; message: string }[]> {
  const events = await getJson(['events', '-n', ns, '--field-selector', `involvedObject.name=${name},involvedObject.kind=VirtualMachine,type=Warning`]);
  return events?.items ?? [];
}

describe('restart of a VM whose run strategy is not Always', () => {
  it.each(['Manual', 'RerunOnFailure'])('%s: a new VMI with a new UID runs; the strategy stays and the requests are cleared', async (strategy) => {
    const name = uniqueName(`restart-${strategy.toLowerCase()}`);
    await createVm(vmManifest(name, ns, { runStrategy: strategy }));
    // virtctl start sends StartOptions{} ({}); a RerunOnFailure VM starts by itself the first time.
    if (strategy === 'Manual') expect((await put('virtualmachines', name, 'start', {})).status).toBe(202);
    const first = await runningVmi(name);

    const restart = await put('virtualmachines', name, 'restart', {});
    expect(restart.status).toBe(202);
    const second = await eventually('a new VMI Running', async () => {
      const vmi = await vmiOf(name);
      return vmi?.metadata.uid !== first.metadata.uid && vmi?.status?.phase === 'Running' && vmi;
    }, 90_000, 250);
    expect(second.metadata.uid).not.toBe(first.metadata.uid);
    const vm = await waitForPrintableStatus(ns, name, 'Running', 30_000);
    expect(vm.spec.runStrategy).toBe(strategy);
    expect(vm.status.stateChangeRequests).toBeUndefined();
  });
});

describe('volume hotplug as virtctl sends it', () => {
  let name: string;
  // virtctl addvolume's AddVolumeOptions: the disk's name is Go's empty string, the bus scsi by default.
  const addBody = (claimName: string) => ({
    name: claimName,
    disk: { name: '', disk: { bus: 'scsi' }, serial: claimName },
    volumeSource: { persistentVolumeClaim: { claimName } },
  });
  /** The guest's view of a hot-plugged disk: its size in 512-byte sectors, found by its serial. */
  const guestSectors = async (serial: string) => {
    const shell = await serialShell(ns, name, { as: 'dev-a', timeoutMs: 90_000 });
    try {
      const out = await shell.run(
        `sleep 1; s=none; for d in /sys/block/vd*; do [ "$(cat $d/serial 2>/dev/null)" = "${serial.slice(0, 20)}" ] && s=$(cat $d/size); done; echo "sectors=$s."`,
        /sectors=\w+\./,
        20_000,
      );
      return /sectors=(\w+)\./.exec(out)![1];
    } finally {
      shell.close();
    }
  };
  const volumeReady = (vol: string) =>
    eventually(`volume ${vol} Ready`, async () => (await vmiOf(name))?.status?.volumeStatus?.find((v: { name: string; phase?: string }) => v.name === vol && v.phase === 'Ready'), 60_000, 300);
  const volumeGone = (vol: string) =>
    eventually(`volume ${vol} gone from the VMI`, async () => {
      const vmi = await vmiOf(name);
      return vmi && !(vmi.spec.volumes ?? []).some((v: { name: string }) => v.name === vol) && !(vmi.status.volumeStatus ?? []).some((v: { name: string }) => v.name === vol);
    }, 60_000, 300);

  beforeAll(async () => {
    name = uniqueName('hotplug');
    await createVm(docExampleVm(name, ns));
    await waitForPrintableStatus(ns, name, 'Running', 60_000);
  });

  it('addvolume --persist: the disk takes the volume\'s name, reaches the template and the guest at the claim\'s size; removevolume undoes it', async () => {
    const claimName = await createClaim(ns, 'sandbox-shared', ['ReadWriteMany'], '1Gi');
    pvcs.push(claimName);
    expect((await put('virtualmachines', name, 'addvolume', addBody(claimName))).status).toBe(202);
    await volumeReady(claimName);
    const vm = await getJson(['vm', name, '-n', ns]);
    expect(vm.spec.template.spec.domain.devices.disks).toContainEqual(expect.objectContaining({ name: claimName, disk: { bus: 'scsi' } }));
    expect(vm.status.volumeRequests).toBeUndefined();
    expect(await guestSectors(claimName)).toBe(String((1 << 30) / 512));

    expect((await put('virtualmachines', name, 'removevolume', { name: claimName })).status).toBe(202);
    await volumeGone(claimName);
    expect((await getJson(['vm', name, '-n', ns])).spec.template.spec.volumes.map((v: { name: string }) => v.name)).not.toContain(claimName);
    expect(await guestSectors(claimName)).toBe('none');
  });

  it('addvolume without --persist: on the running VMI only; removevolume on the VMI takes it away', async () => {
    const claimName = await createClaim(ns, 'sandbox-shared', ['ReadWriteMany'], '512Mi');
    pvcs.push(claimName);
    expect((await put('virtualmachineinstances', name, 'addvolume', addBody(claimName))).status).toBe(202);
    await volumeReady(claimName);
    expect((await vmiOf(name)).spec.domain.devices.disks).toContainEqual(expect.objectContaining({ name: claimName }));
    expect((await getJson(['vm', name, '-n', ns])).spec.template.spec.volumes.map((v: { name: string }) => v.name)).not.toContain(claimName);
    expect(await guestSectors(claimName)).toBe(String((512 << 20) / 512));

    expect((await put('virtualmachineinstances', name, 'removevolume', { name: claimName })).status).toBe(202);
    await volumeGone(claimName);
    expect(await guestSectors(claimName)).toBe('none');
    const missing = await put('virtualmachineinstances', name, 'removevolume', { name: claimName });
    expect([missing.status, JSON.parse(missing.text).message]).toEqual([409, expect.stringContaining(`Unable to remove volume [${claimName}] because it does not exist`)]);
  });

  it('a request the controller cannot apply is reported and dropped, and a stop afterwards still stops the VM', async () => {
    // What virt-api queued before it named the disk: a disk without a name that the VM's validation refuses.
    const bad = { addVolumeOptions: { name: 'unnamed', disk: { name: '', disk: { bus: 'scsi' }, serial: 'unnamed' }, volumeSource: { persistentVolumeClaim: { claimName: 'unnamed', hotpluggable: true } } } };
    await kubectlOk(['patch', 'vm', name, '-n', ns, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { volumeRequests: [bad] } })]);
    const event = await eventually('the refusal reported', async () => (await warningReasons(name)).find((e) => e.reason === 'VolumeRequestRejected'), 30_000, 300);
    expect(event.message).toContain('add volume "unnamed"');
    await eventually('the request dropped', async () => (await getJson(['vm', name, '-n', ns]))?.status?.volumeRequests === undefined, 30_000, 300);

    expect((await put('virtualmachines', name, 'stop', {})).status).toBe(202);
    await waitForPrintableStatus(ns, name, 'Stopped', 60_000);
    expect(await vmiOf(name)).toBeUndefined();
    expect((await getJson(['vm', name, '-n', ns])).spec.template.spec.volumes.map((v: { name: string }) => v.name)).not.toContain('unnamed');
  });
});

/**
 * What `virtctl port-forward` does: a local TCP port whose every connection opens the portforward websocket and
 * carries the bytes in binary frames.
 */
async function localForward(path: string): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((conn) => {
    sockets.add(conn);
    conn.on('close', () => sockets.delete(conn));
    conn.pause();
    openWebsocket(path, { as: 'dev-a' }).then(
      (ws) => {
        ws.on('message', (d: Buffer) => conn.write(d));
        conn.on('data', (d) => ws.send(d, { binary: true }));
        ws.on('close', () => conn.destroy());
        conn.on('close', () => ws.close());
        conn.resume();
      },
      () => conn.destroy(),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function run(cmd: string, args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('port-forward and ssh', () => {
  let name: string;
  let keyDir: string;
  beforeAll(async () => {
    keyDir = mkdtempSync(join(tmpdir(), 'sandbox-ssh-'));
    const made = await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'virtctl-test', '-f', join(keyDir, 'id')], 30_000);
    expect(made.code).toBe(0);
    const pub = readFileSync(join(keyDir, 'id.pub'), 'utf8').trim();
    name = uniqueName('sshvm');
    await createVm(docExampleVm(name, ns, 'Always', `#cloud-config\nusers:\n  - name: tester\n    ssh_authorized_keys:\n      - ${pub}\n`));
    await waitForPrintableStatus(ns, name, 'Running', 60_000);
  });
  afterAll(() => rmSync(keyDir, { recursive: true, force: true }));

  it('reads the SSH server\'s banner through the VMI route, and the VM route answers too', async () => {
    for (const kind of ['virtualmachineinstances', 'virtualmachines'] as const) {
      // The guest's SSH server starts with its network: retry until it answers.
      const banner = await eventually(`an SSH banner on the ${kind} route`, async () => {
        const ws = await openWebsocket(subresource(ns, kind, name, 'portforward/22/tcp'), { as: 'dev-a' });
        try {
          return await readUntil(ws, /SSH-2\.0-\S+\r?\n/, 5_000);
        } finally {
          ws.close();
        }
      }, 90_000, 1000);
      expect(banner).toMatch(/^SSH-2\.0-dropbear/);
    }
  });

  it('logs in with ssh and the cloud-init key through port-forward, and runs hostname in the guest', async () => {
    const fwd = await localForward(subresource(ns, 'virtualmachineinstances', name, 'portforward/22'));
    try {
      const res = await eventually('ssh to answer', async () => {
        const r = await run('ssh', [
          '-i', join(keyDir, 'id'), '-p', String(fwd.port),
          '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'ConnectTimeout=30', '-o', 'LogLevel=ERROR',
          'tester@127.0.0.1', 'hostname; id -un',
        ], 60_000);
        return r.code === 0 ? r : undefined;
      }, 120_000, 2000);
      expect(res.stdout.trim().split('\n')).toEqual([name, 'tester']);
    } finally {
      await fwd.close();
    }
  });

  it('carries UDP datagrams both ways on the VM route', async () => {
    const shell = await serialShell(ns, name, { as: 'dev-a', timeoutMs: 90_000 });
    // The guest answers the first datagram once it has one: stdin is only read after it has a peer.
    await shell.run('rm -f /tmp/udp.txt; ((sleep 1; echo pong) | nc.openbsd -u -l -p 5000 > /tmp/udp.txt &); echo started-$((40+2))', /started-42/, 10_000);
    const ws: WebSocket = await openWebsocket(subresource(ns, 'virtualmachines', name, 'portforward/5000/udp'), { as: 'dev-a' });
    const reply = readUntil(ws, /pong/, 30_000);
    // UDP is lossy and the listener may not be bound yet: say it again until it answers (one tunnel, one peer).
    const ping = () => ws.send(Buffer.from('ping\n'), { binary: true });
    ping();
    const again = setInterval(ping, 1000);
    expect(await reply.finally(() => clearInterval(again))).toContain('pong');
    ws.close();
    expect(await shell.run('cat /tmp/udp.txt; echo end', /ping\r?\nend/, 10_000)).toContain('ping');
    shell.close();
  });

  it('refuses a VM that was never started with KubeVirt\'s 409', async () => {
    const stopped = uniqueName('stopped');
    await createVm(vmManifest(stopped, ns));
    const res = await api('GET', subresource(ns, 'virtualmachines', stopped, 'portforward/22'), { as: 'dev-a' });
    expect([res.status, JSON.parse(res.text).message]).toEqual([409, `Operation cannot be fulfilled on virtualmachine.kubevirt.io "${stopped}": VMI is not started`]);
  });
});

describe('a guest that cloud-init does not name', () => {
  it('is called after its VMI (the pod network\'s DHCP answer), and the portal\'s default network is what the VMI has', async () => {
    const name = uniqueName('noname');
    await createVm(vmManifest(name, ns, { runStrategy: 'Always' }));
    const vmi = await runningVmi(name);
    expect(vmi.spec.networks).toEqual([{ name: 'default', pod: {} }]);
    expect(vmi.spec.domain.devices.interfaces).toEqual([expect.objectContaining({ name: 'default', masquerade: {} })]);
    const shell = await serialShell(ns, name, { as: 'dev-a', timeoutMs: 90_000 });
    expect(await shell.run('echo "name=$(hostname)."', /name=[a-z0-9-]+\./, 10_000)).toContain(`name=${name}.`);
    shell.close();
  });
});

describe('KubeVirt\'s install state', () => {
  it('states emulation, advertises the device plugins\' resources, and observes a spec change at once', async () => {
    const kv = await getJson(['kubevirt', 'kubevirt', '-n', 'kubevirt']);
    expect(kv.spec.configuration.developerConfiguration.useEmulation).toBe(true);
    const worker = await getJson(['node', 'worker-1']);
    for (const d of ['devices.kubevirt.io/kvm', 'devices.kubevirt.io/tun', 'devices.kubevirt.io/vhost-net']) expect(worker.status.allocatable[d]).toBe('1k');

    // A spec change and its undoing: each is a new generation the status must catch up with.
    const seeded = kv.spec.configuration.migrations.progressTimeout;
    let generation = kv.metadata.generation;
    for (const progressTimeout of [seeded + 1, seeded]) {
      await kubectlOk(['patch', 'kubevirt', 'kubevirt', '-n', 'kubevirt', '--type=merge', '-p', JSON.stringify({ spec: { configuration: { migrations: { progressTimeout } } } })]);
      const after = await eventually('the new generation observed', async () => {
        const k = await getJson(['kubevirt', 'kubevirt', '-n', 'kubevirt']);
        return k.metadata.generation > generation && k.status.observedGeneration === k.metadata.generation && k;
      }, 10_000, 200);
      generation = after.metadata.generation;
    }
  });

  it('serves the replica set, preset, pool and export APIs', async () => {
    for (const resource of ['virtualmachineinstancereplicasets', 'virtualmachineinstancepresets', 'virtualmachinepools', 'virtualmachineexports']) {
      const r = await kubectl(['get', resource, '-n', ns], { as: 'dev-a' });
      expect([resource, r.status, r.stderr]).toEqual([resource, 0, expect.not.stringContaining('error')]);
    }
  });
});
