// VM create to Running, and to a serial console that answers, through the portal: dev-a posts the create wizard's
// form (POST /api/vms/create) for a container-disk VM of instance type u1.nano in team-a, then opens its serial
// console through the portal. The baseline is the same VM (the manifests the portal answered with, renamed) created
// with kubectl, its console opened straight on the API server with dev-a's token. Portal and kubectl alternate, one
// VM at a time, each deleted before the next starts.
import { performance } from 'node:perf_hooks';
import { kubectl } from '../../e2e/support/cluster.ts';
import { csrfOf, onCleanup, pct, sleep, type Portal } from '../support.ts';
import { closeSocket, openDirectConsole, openPortalConsole, SerialProbe } from '../support/consoles.ts';
import type { Figure } from '../support/figures.ts';
import { vmPrintableStatus } from '../support/kube.ts';
import type { CreateResponse } from '../../lib/shared/create-api.ts';

export interface CreateOptions {
  portal: Portal;
  runs: number;
  namespace: string;
  image: string;
  cookie: () => Promise<string>;
  devToken: () => string;
  adminToken: () => string;
}

const note = (s: string) => console.error(`  … ${s}`);
// The guest's shell prompt (sandbox/guest: root@<hostname>:~# ), whatever the hostname turned out to be.
const PROMPT = /root@[^\s:]+:[^\r\n]*# /;

interface Timing {
  created: number; // the create call answered
  running: number; // printableStatus Running
  console: number; // a shell prompt on the serial console
}

async function untilRunning(token: string, ns: string, name: string, t0: number, timeoutMs = 180_000): Promise<number> {
  while (performance.now() - t0 < timeoutMs) {
    if ((await vmPrintableStatus(token, ns, name)) === 'Running') return performance.now() - t0;
    await sleep(100);
  }
  throw new Error(`${ns}/${name} was not Running within ${timeoutMs / 1000} s`);
}

/** Opens the serial console (retrying while the VMI's console is not there yet) and waits for a shell prompt. */
async function untilPrompt(open: () => Promise<import('ws').default>, t0: number, timeoutMs = 180_000): Promise<number> {
  let lastErr = '';
  while (performance.now() - t0 < timeoutMs) {
    let ws: import('ws').default | undefined;
    try {
      ws = await open();
      const probe = new SerialProbe(ws);
      probe.send('\r');
      const poke = setInterval(() => probe.send('\r'), 500);
      try {
        const at = await probe.waitFor(PROMPT, Math.max(1000, timeoutMs - (performance.now() - t0)));
        return at - t0;
      } finally {
        clearInterval(poke);
      }
    } catch (err) {
      lastErr = (err as Error).message;
      await sleep(200);
    } finally {
      if (ws) await closeSocket(ws);
    }
  }
  throw new Error(`no shell prompt on the serial console within ${timeoutMs / 1000} s: ${lastErr}`);
}

function deleteAll(ns: string, manifests: Record<string, unknown>[]): void {
  for (const m of manifests) {
    const kind = String(m.kind);
    const name = String((m.metadata as { name?: string } | undefined)?.name);
    kubectl(['delete', kind, name, '-n', ns, '--ignore-not-found', '--wait=true', '--timeout=120s']);
  }
}

export async function createToRunning(o: CreateOptions): Promise<Figure[]> {
  const part = 'create';
  const id = Date.now().toString(36);
  const portalRuns: Timing[] = [];
  const kubectlRuns: Timing[] = [];
  const made: Record<string, unknown>[] = [];
  const undo = onCleanup('delete the created VMs', () => deleteAll(o.namespace, made));
  try {
    for (let i = 0; i < o.runs; i++) {
      // Alternating which goes first, so neither always meets a machine still busy with the other's teardown.
      const order = i % 2 === 0 ? (['portal', 'kubectl'] as const) : (['kubectl', 'portal'] as const);
      let template: Record<string, unknown>[] | undefined;
      for (const side of order) {
        const name = `bench-create-${side === 'portal' ? 'p' : 'k'}${i}-${id}`;
        const cookie = side === 'portal' ? await o.cookie() : '';
        const devToken = o.devToken();
        const adminToken = o.adminToken();
        if (side === 'kubectl' && !template) {
          // The manifests the portal builds for this form, by a dry run, when kubectl goes first.
          template = (await postCreate(o, cookie || (await o.cookie()), `bench-create-p${i}-${id}`, true)).manifests;
        }
        let manifests: Record<string, unknown>[];
        const t0 = performance.now();
        if (side === 'portal') {
          const res = await postCreate(o, cookie, name, false);
          manifests = res.manifests;
          template ??= manifests;
        } else {
          manifests = renamed(template!, `bench-create-p${i}-${id}`, name);
          const r = kubectl(['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: manifests }));
          if (r.status !== 0) throw new Error(`kubectl create ${name}: ${r.stderr}`);
        }
        made.push(...manifests);
        const created = performance.now() - t0;
        const running = await untilRunning(adminToken, o.namespace, name, t0);
        const open = side === 'portal' ? () => openPortalConsole(o.portal.url, cookie, 'serial', o.namespace, name) : () => openDirectConsole(devToken, 'serial', o.namespace, name);
        const consoleAt = await untilPrompt(open, t0);
        (side === 'portal' ? portalRuns : kubectlRuns).push({ created, running, console: consoleAt });
        note(`${side} ${name}: created ${created.toFixed(0)} ms, Running ${(running / 1000).toFixed(2)} s, console prompt ${(consoleAt / 1000).toFixed(2)} s`);
        deleteAll(o.namespace, manifests);
        made.splice(made.length - manifests.length, manifests.length);
      }
    }
  } finally {
    deleteAll(o.namespace, made);
    undo();
  }
  const med = (xs: Timing[], k: keyof Timing) => pct(xs.map((x) => x[k]), 50);
  const max = (xs: Timing[], k: keyof Timing) => Math.max(...xs.map((x) => x[k]));
  const n = `n=${portalRuns.length} each, ${o.image}`;
  return [
    { part, name: 'create call answered, median', value: med(portalRuns, 'created'), unit: 'ms', baseline: med(kubectlRuns, 'created'), baselineNote: 'kubectl create', note: n },
    { part, name: 'create to Running, median', value: med(portalRuns, 'running'), unit: 'ms', baseline: med(kubectlRuns, 'running'), baselineNote: 'kubectl' },
    { part, name: 'create to serial console prompt, median', value: med(portalRuns, 'console'), unit: 'ms', baseline: med(kubectlRuns, 'console'), baselineNote: 'kubectl, direct console', budget: { kind: 'max', limit: 20_000 } },
    { part, name: 'create to serial console prompt, slowest', value: max(portalRuns, 'console'), unit: 'ms', baseline: max(kubectlRuns, 'console'), baselineNote: 'kubectl, direct console', budget: { kind: 'max', limit: 20_000 } },
  ];
}

async function postCreate(o: CreateOptions, cookie: string, name: string, dryRun: boolean): Promise<CreateResponse> {
  const origin = new URL(o.portal.url).origin;
  const res = await fetch(`${origin}/api/vms/create`, {
    method: 'POST',
    headers: { cookie, origin, 'content-type': 'application/json', 'x-csrf-token': csrfOf(cookie) },
    body: JSON.stringify({
      source: 'form',
      dryRun,
      form: {
        namespace: o.namespace,
        name,
        bootSource: { kind: 'containerDisk', image: o.image },
        size: { kind: 'instancetype', instancetype: 'u1.nano' },
        rootDisk: { size: '1Gi' },
      },
    }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST /api/vms/create (${name}${dryRun ? ', dry run' : ''}): ${res.status} ${text.slice(0, 400)}`);
  return JSON.parse(text) as CreateResponse;
}

/** The portal's manifests for one name, for another: every string that is or starts with the old name. */
function renamed(manifests: Record<string, unknown>[], from: string, to: string): Record<string, unknown>[] {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v === from || v.startsWith(`${from}-`) ? to + v.slice(from.length) : v;
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return manifests.map((m) => walk(m) as Record<string, unknown>);
}
