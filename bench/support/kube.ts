// The API server straight, for what the benchmarks make and watch in bulk (thousands of VMs): one HTTPS request per
// call with a bearer token and the sandbox's CA, no kubectl process per call (each costs a Go start on a 2-core box).
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { urls } from '../../sandbox/launcher/paths.ts';
import { pki } from '../../sandbox/launcher/pki.ts';
import { vmManifest } from '../../e2e/support/cluster.ts';
import { sleep } from '../support.ts';

export const apiServer = () => process.env.K8S_API_SERVER ?? urls.apiserver;

let ca: Buffer | undefined;

export interface KubeAnswer {
  status: number;
  body: string;
}

export function kubeRequest(token: string, method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<KubeAnswer> {
  ca ??= readFileSync(pki.caCert);
  return new Promise((resolve, reject) => {
    const req = request(`${apiServer()}${path}`, { method, ca, headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': contentType }) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body));
  });
}

async function kubeJson<T = unknown>(token: string, method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
  const r = await kubeRequest(token, method, path, body, contentType);
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.body.slice(0, 300)}`);
  return JSON.parse(r.body) as T;
}

const vmsPath = (ns: string) => `/apis/kubevirt.io/v1/namespaces/${ns}/virtualmachines`;

const fleetVmName = (i: number, prefix = 'vm-') => `${prefix}${String(i).padStart(5, '0')}`;

/**
 * Creates the halted VMs fleetVmName(from) … fleetVmName(to - 1) in `ns` (which exists), `parallel` requests at a
 * time, the same manifest the e2e specs use. Resolves with how long it took, in ms. `token` is asked for each request:
 * 10,000 VMs take longer than the sandbox's 15-minute ID tokens last.
 */
export async function createFleet(token: () => string, ns: string, from: number, to: number, opts: { parallel?: number; prefix?: string; progress?: (done: number) => void } = {}): Promise<number> {
  const { parallel = 1, prefix, progress } = opts;
  const t0 = performance.now();
  let next = from;
  let done = 0;
  const worker = async () => {
    while (next < to) {
      const i = next++;
      const body = vmManifest(fleetVmName(i, prefix), ns, 'Halted', { 'portal-bench': 'fleet' });
      let r = await kubeRequest(token(), 'POST', vmsPath(ns), body);
      // A 5xx (the validating webhook's 10 s deadline on a loaded machine, most often) is tried again, a few times.
      for (let tries = 1; r.status >= 500 && tries < 8; tries++) {
        await sleep(2000 * tries);
        r = await kubeRequest(token(), 'POST', vmsPath(ns), body);
      }
      // 409: made by an earlier try whose answer was lost, or an interrupted run of the same namespace: the same object.
      if (r.status !== 201 && r.status !== 409) throw new Error(`create ${ns}/${fleetVmName(i, prefix)}: ${r.status} ${r.body.slice(0, 300)}`);
      if (++done % 1000 === 0) progress?.(done);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return performance.now() - t0;
}

interface FleetVm {
  spec?: { template?: { spec?: { volumes?: unknown[] } } };
  status?: { printableStatus?: string; volumeSnapshotStatuses?: unknown[] };
}

interface VmList {
  items: FleetVm[];
}

/**
 * Whether the simulator is done with a new halted VM: its VM controller has written Stopped and its snapshot
 * controller the volumes' snapshot statuses (one per volume; written separately, and possibly later).
 */
export function fleetVmSettled(vm: FleetVm): boolean {
  return vm.status?.printableStatus === 'Stopped' && (vm.status.volumeSnapshotStatuses?.length ?? 0) === (vm.spec?.template?.spec?.volumes?.length ?? 0);
}

/**
 * Waits until `count` VMs of `ns` are settled (fleetVmSettled): the simulator writes each new VM's status, and a
 * measurement taken while it does would measure that too. Resolves with the wait in ms.
 */
export async function waitFleetSettled(token: () => string, ns: string, count: number, timeoutMs = 30 * 60_000): Promise<number> {
  const t0 = performance.now();
  let settled = 0;
  while (performance.now() - t0 < timeoutMs) {
    const list = await kubeJson<VmList>(token(), 'GET', `${vmsPath(ns)}?labelSelector=portal-bench%3Dfleet`);
    settled = list.items.filter(fleetVmSettled).length;
    if (settled >= count) return performance.now() - t0;
    await sleep(3000);
  }
  throw new Error(`${ns}: only ${settled} of ${count} VMs settled (Stopped, snapshot statuses written) within ${timeoutMs / 60_000} minutes`);
}

/** The printableStatus of a VM, or undefined while it has none (or is not there). */
export async function vmPrintableStatus(token: string, ns: string, name: string): Promise<string | undefined> {
  const r = await kubeRequest(token, 'GET', `${vmsPath(ns)}/${name}`);
  if (r.status !== 200) return undefined;
  return (JSON.parse(r.body) as { status?: { printableStatus?: string } }).status?.printableStatus;
}
