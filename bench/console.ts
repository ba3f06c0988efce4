// Measures the portal's console proxy (lib/ws/) against KubeVirt's console and vnc subresources reached straight
// through the API server, each figure with its baseline measured in the same run, same user (admin) on both sides.
// A measurement, not a test:
//   npm run bench:console [-- vms=8]      (or: npx tsx bench/console.ts [vms])
// Needs the sandbox up (npm run sandbox:up), a built portal (npm run build), Chromium at /usr/bin/chromium (or
// CHROMIUM_PATH), and port 3000 free: it starts its own production portal there (the one port the sandbox's Dex
// redirects to), with PORTAL_MAX_CONSOLES_PER_USER raised for part c. Creates a namespace portal-bench-console-*
// with the VMs, and deletes it and stops the portal at the end, on failure and on Ctrl+C.
//
//   a. Keystroke echo: one running VM's serial console; blocks of keys alternate between a direct socket and one
//      through the portal (KubeVirt keeps one serial console per VMI: the sockets are opened one after the other,
//      never at once); per key, the time from sending one letter to its echo, then a backspace and its echo.
//   b. VNC throughput: an RFB client (bench/support/rfb.ts) asks for the whole screen, non-incremental, Raw, FRAMES
//      times per socket and reads each update to its last byte; alternating direct and portal, ROUNDS times each.
//      QEMU answers a request on its display refresh timer, which slows to one tick in 3 s on a screen that does not
//      change; so by default the guest's VGA console (tty1) is kept scrolling during this part (BUSY_SCREEN=0: not).
//      "wall" is bytes over the time from the first request to the last frame's last byte (what a viewer gets);
//      "stream" is bytes over the time from each update's first byte to its last (the pipe alone, without QEMU's
//      timer).
//   c. Concurrent sessions: K running VMs, one serial and one VNC session each through the portal, held HOLD_SECONDS
//      with a keystroke (and its backspace) per serial session and an incremental update request per VNC session
//      every second; the portal's RSS (VmRSS) before any is opened and with all open, and whether each still echoes
//      (serial) or sends a full frame (VNC) at the end.
//
// Knobs (environment): KEY_BLOCKS=4 KEYS=50 (per block and side) KEY_GAP_MS=20, FRAMES=30 ROUNDS=2, HOLD_SECONDS=60,
// BUSY_SCREEN=1, PORTAL_PORT (PORTAL_E2E_PORT or 3000). The sandbox's ID tokens last 15 minutes and nothing here refreshes the portal
// session, so each part signs in afresh.
import { pathToFileURL } from 'node:url';
import type WebSocket from 'ws';
import { createVm, kubectl, waitForStatus } from '../e2e/support/cluster';
import { adminToken, descendants, fmtMs, onCleanup, pct, portalCookie, rssKiB, runMain, sampleRssKiB, sleep, startPortal, type Portal } from './support.ts';
import { closeSocket, openDirectConsole, openPortalConsole, probeLetters, SerialProbe, type ConsoleKind } from './support/consoles.ts';
import type { Figure } from './support/figures.ts';
import { RfbClient } from './support/rfb.ts';

const num = (name: string, dflt: number) => {
  const v = Number(process.env[name] ?? dflt);
  if (!Number.isFinite(v) || v < 0) throw new Error(`${name} must be a number`);
  return v;
};
const KEY_BLOCKS = num('KEY_BLOCKS', 4);
const KEYS = num('KEYS', 50);
const KEY_GAP_MS = num('KEY_GAP_MS', 20);
const WARMUP_KEYS = 5;
const FRAMES = num('FRAMES', 30);
const ROUNDS = num('ROUNDS', 2);
const HOLD_SECONDS = num('HOLD_SECONDS', 60);
const BUSY_SCREEN = process.env.BUSY_SCREEN !== '0';
const PORT = num('PORTAL_PORT', Number(process.env.PORTAL_E2E_PORT ?? 3000));
const NS_PREFIX = 'portal-bench-console-';
// Set by consoleBench for the run (a fresh one each time).
let ns = '';
const MB = 1e6;
const MiB = 1024 * 1024;

type Side = 'direct' | 'portal';
const SIDES: Side[] = ['direct', 'portal'];

const note = (s: string) => console.error(`  … ${s}`);
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;

// Every socket this run opens, so a failure or Ctrl+C closes them before the portal stops.
const sockets = new Set<WebSocket>();
function track(ws: WebSocket): WebSocket {
  sockets.add(ws);
  ws.once('close', () => sockets.delete(ws));
  return ws;
}

interface Creds {
  portal: Portal;
  cookie: string;
  token: string;
}

async function creds(portal: Portal): Promise<Creds> {
  note('signing in to the portal as admin (Chromium) and getting an admin token');
  return { portal, cookie: await portalCookie(portal.url, 'admin'), token: adminToken() };
}

async function open(c: Creds, side: Side, kind: ConsoleKind, vm: string): Promise<WebSocket> {
  const ws = side === 'direct' ? await openDirectConsole(c.token, kind, ns, vm) : await openPortalConsole(c.portal.url, c.cookie, kind, ns, vm);
  return track(ws);
}

async function startVms(names: string[]): Promise<void> {
  for (const n of names) createVm(n, ns, 'Always');
  for (const n of names) await waitForStatus(n, ns, 'Running', 180_000);
}

// ---- a. keystroke echo

async function keystrokes(c: Creds, vm: string): Promise<Figure[]> {
  const letters = probeLetters(vm);
  const samples: Record<Side, number[]> = { direct: [], portal: [] };
  const blockP50: Record<Side, number[]> = { direct: [], portal: [] };
  let k = 0;
  let first = true;
  for (let b = 0; b < KEY_BLOCKS; b++) {
    for (const side of SIDES) {
      const ws = await open(c, side, 'serial', vm);
      const probe = new SerialProbe(ws);
      try {
        await probe.prompt(vm, first ? 180_000 : 30_000);
        first = false;
        for (let i = 0; i < WARMUP_KEYS; i++) {
          await probe.keystroke(letters[k++ % letters.length]!);
          await probe.backspace();
        }
        const block: number[] = [];
        for (let i = 0; i < KEYS; i++) {
          block.push(await probe.keystroke(letters[k++ % letters.length]!));
          await probe.backspace();
          if (KEY_GAP_MS) await sleep(KEY_GAP_MS);
        }
        samples[side].push(...block);
        blockP50[side].push(pct(block, 50));
        note(`keys block ${b + 1}/${KEY_BLOCKS} ${side}: p50 ${fmtMs(pct(block, 50))}`);
      } finally {
        await closeSocket(ws);
      }
    }
  }
  console.log(`a. Keystroke echo, serial console of ${ns}/${vm}: ${KEY_BLOCKS} blocks x ${KEYS} keys per side, alternating direct/portal`);
  for (const side of SIDES) {
    const xs = samples[side];
    const label = side === 'direct' ? 'direct (API server) ' : 'portal              ';
    console.log(`   ${label} p50 ${fmtMs(pct(xs, 50))}, p99 ${fmtMs(pct(xs, 99))}  (n=${xs.length}; block p50s ${blockP50[side].map((x) => x.toFixed(1)).join(' ')} ms)`);
  }
  const r50 = pct(samples.portal, 50) / pct(samples.direct, 50);
  const r99 = pct(samples.portal, 99) / pct(samples.direct, 99);
  const verdict = Math.max(r50, r99) <= 1.2 ? 'within' : 'OVER';
  console.log(`   ratio portal/direct: p50 ${r50.toFixed(2)}x, p99 ${r99.toFixed(2)}x  (budget <= 1.2x: ${verdict})`);
  const budget = { kind: 'ratio-max', limit: 1.2 } as const;
  const n = `n=${samples.portal.length} per side`;
  return [
    { part: 'console', name: 'keystroke echo p50, portal', value: pct(samples.portal, 50), unit: 'ms', baseline: pct(samples.direct, 50), baselineNote: 'direct', budget, note: n },
    { part: 'console', name: 'keystroke echo p99, portal', value: pct(samples.portal, 99), unit: 'ms', baseline: pct(samples.direct, 99), baselineNote: 'direct', budget, note: n },
  ];
}

// ---- b. VNC throughput

/** Runs a shell command on the VM's serial console (direct, as admin) and returns the output up to `until`. */
async function serialRun(c: Creds, vm: string, cmd: string, until: RegExp): Promise<string> {
  const ws = await open(c, 'direct', 'serial', vm);
  const probe = new SerialProbe(ws);
  try {
    await probe.prompt(vm, 60_000);
    probe.send(`${cmd}\r`);
    await probe.waitFor(until, 20_000);
    return probe.output;
  } finally {
    await closeSocket(ws);
  }
}

interface Block {
  bytes: number;
  wallMs: number;
  streamMs: number;
  waits: number[]; // request to first byte of the update, per frame
}

async function vncThroughput(c: Creds, vm: string): Promise<Figure[]> {
  let busyPid: string | undefined;
  if (BUSY_SCREEN) {
    // A line every twentieth of a second on the VGA console (tty1), written by the shell's own echo (no process per
    // line for the emulated guest): the screen changes at nearly every QEMU refresh, which keeps its refresh timer
    // fast. busybox sleep may not take fractions: then usleep, then whole seconds.
    const out = await serialRun(
      c,
      vm,
      '(i=0; while :; do i=$((i+1)); echo "console bench $i"; sleep 0.05 2>/dev/null || usleep 50000 2>/dev/null || sleep 1; done) >/dev/tty1 2>&1 & echo BUSY-PID=$!:END',
      /BUSY-PID=(\d+):END/,
    );
    busyPid = /BUSY-PID=(\d+):END/.exec(out)?.[1];
    note(`guest screen kept busy (pid ${busyPid} in the guest)`);
  }
  const blocks: Record<Side, Block[]> = { direct: [], portal: [] };
  let geometry = '';
  try {
    for (let r = 0; r < ROUNDS; r++) {
      for (const side of SIDES) {
        const ws = await open(c, side, 'vnc', vm);
        try {
          const rfb = await RfbClient.open(ws);
          const f = rfb.init.pixelFormat;
          geometry = `${rfb.width}x${rfb.height}, ${f.bitsPerPixel} bpp, "${rfb.init.name}"`;
          await rfb.fullFrame(30_000); // warm-up, not counted
          const block: Block = { bytes: 0, wallMs: 0, streamMs: 0, waits: [] };
          const t0 = performance.now();
          for (let i = 0; i < FRAMES; i++) {
            const fr = await rfb.fullFrame(30_000);
            block.bytes += fr.bytes;
            block.streamMs += fr.endedAt - fr.startedAt;
            block.waits.push(fr.startedAt - fr.requestedAt);
          }
          block.wallMs = performance.now() - t0;
          blocks[side].push(block);
          note(`vnc round ${r + 1}/${ROUNDS} ${side}: ${(block.bytes / MB / (block.wallMs / 1000)).toFixed(1)} MB/s`);
        } finally {
          await closeSocket(ws);
        }
      }
    }
  } finally {
    if (busyPid) await serialRun(c, vm, `kill ${busyPid}; echo STOPPED-$((40+2))`, /STOPPED-42/).catch((err) => note(`could not stop the busy loop: ${err.message}`));
  }
  const sum = (side: Side, f: (b: Block) => number) => blocks[side].reduce((n, b) => n + f(b), 0);
  const wall = (side: Side) => sum(side, (b) => b.bytes) / MB / (sum(side, (b) => b.wallMs) / 1000);
  const stream = (side: Side) => sum(side, (b) => b.bytes) / MB / (sum(side, (b) => b.streamMs) / 1000);
  const frameBytes = blocks.direct[0] ? blocks.direct[0].bytes / FRAMES : 0;
  console.log(
    `b. VNC full frames, ${ns}/${vm} (${geometry}; ${(frameBytes / MB).toFixed(2)} MB per frame, Raw): ${ROUNDS} rounds x ${FRAMES} frames per side, alternating; guest screen ${BUSY_SCREEN ? 'scrolling' : 'as it is'}`,
  );
  for (const side of SIDES) {
    const frames = blocks[side].length * FRAMES;
    const fps = frames / (sum(side, (b) => b.wallMs) / 1000);
    const waits = blocks[side].flatMap((b) => b.waits);
    const label = side === 'direct' ? 'direct (API server) ' : 'portal              ';
    console.log(`   ${label} wall ${wall(side).toFixed(1)} MB/s (${fps.toFixed(1)} frames/s), stream ${stream(side).toFixed(1)} MB/s, request to first byte p50 ${fmtMs(pct(waits, 50))}`);
  }
  const rw = wall('portal') / wall('direct');
  console.log(`   ratio portal/direct: wall ${rw.toFixed(2)}x (budget >= 0.9x: ${rw >= 0.9 ? 'within' : 'UNDER'}), stream ${ratio(stream('portal'), stream('direct'))}`);
  const framesNote = `${ROUNDS}x${FRAMES} full frames per side`;
  return [
    { part: 'console', name: 'VNC throughput (wall), portal', value: wall('portal'), unit: 'MB/s', baseline: wall('direct'), baselineNote: 'direct', budget: { kind: 'ratio-min', limit: 0.9 }, note: framesNote },
    { part: 'console', name: 'VNC throughput (stream), portal', value: stream('portal'), unit: 'MB/s', baseline: stream('direct'), baselineNote: 'direct', note: framesNote },
  ];
}

// ---- c. concurrent sessions

interface Held {
  vm: string;
  serial?: SerialProbe;
  vnc?: RfbClient;
  errors: string[];
}

async function concurrent(c: Creds, vms: string[]): Promise<Figure[]> {
  const pid = c.portal.pid;
  await sleep(2000);
  const before = await sampleRssKiB(pid, 5, 1000);
  note(`portal RSS before: ${(before / 1024).toFixed(1)} MiB; opening ${2 * vms.length} sessions`);
  const held: Held[] = await Promise.all(
    vms.map(async (vm) => {
      const h: Held = { vm, errors: [] };
      try {
        const probe = new SerialProbe(await open(c, 'portal', 'serial', vm));
        h.serial = probe;
        await probe.prompt(vm, 180_000);
      } catch (err) {
        h.errors.push(`serial: ${(err as Error).message}`);
      }
      try {
        const rfb = await RfbClient.open(await open(c, 'portal', 'vnc', vm));
        h.vnc = rfb;
        await rfb.fullFrame(30_000);
      } catch (err) {
        h.errors.push(`vnc: ${(err as Error).message}`);
      }
      return h;
    }),
  );
  const opened = held.reduce((n, h) => n + (h.serial ? 1 : 0) + (h.vnc ? 1 : 0), 0);
  note(`${opened} sessions open; holding them ${HOLD_SECONDS} s`);

  // Activity: a letter and its backspace per serial session, an incremental update request per VNC session, each second.
  const letters = new Map(vms.map((vm) => [vm, probeLetters(vm)]));
  let tick = 0;
  const activity = setInterval(() => {
    tick++;
    for (const h of held) {
      if (h.serial && !h.serial.closed) {
        const ls = letters.get(h.vm)!;
        h.serial.send(ls[tick % ls.length]!);
        h.serial.send('\x7f');
      }
      if (h.vnc && !h.vnc.closed) h.vnc.requestIncremental();
    }
  }, 1000);
  let withAll: number;
  try {
    const sampleFor = Math.min(5, HOLD_SECONDS);
    await sleep((HOLD_SECONDS - sampleFor) * 1000);
    withAll = await sampleRssKiB(pid, sampleFor, 1000);
  } finally {
    clearInterval(activity);
  }

  // At the end: every session still there and answering.
  let alive = 0;
  const problems: string[] = [];
  await Promise.all(
    held.map(async (h) => {
      if (h.serial) {
        try {
          await h.serial.quiet(500, 5000);
          await h.serial.keystroke(letters.get(h.vm)![0]!, 10_000);
          await h.serial.backspace(10_000);
          alive++;
        } catch (err) {
          problems.push(`${h.vm} serial: ${(err as Error).message}`);
        }
      }
      if (h.vnc) {
        try {
          await h.vnc.fullFrame(20_000);
          alive++;
        } catch (err) {
          problems.push(`${h.vm} vnc: ${(err as Error).message}`);
        }
      }
      problems.push(...h.errors.map((e) => `${h.vm} ${e}`));
    }),
  );
  await Promise.all([...sockets].map((ws) => closeSocket(ws)));
  await sleep(5000);
  const after = await sampleRssKiB(pid, 3, 1000);

  const want = 2 * vms.length;
  const perSession = opened ? (withAll - before) / opened / 1024 : NaN;
  console.log(`c. Concurrent sessions through the portal: ${vms.length} VMs, one serial and one VNC session each, held ${HOLD_SECONDS} s, active every second`);
  console.log(`   portal RSS (VmRSS, pid ${pid}): before ${(before / 1024).toFixed(1)} MiB, with ${opened} open ${(withAll / 1024).toFixed(1)} MiB, after closing ${(after / 1024).toFixed(1)} MiB`);
  console.log(`   per session: ${perSession.toFixed(2)} MiB  ((with - before) / ${opened})`);
  // The figure is the portal's own process. It may have children (tsx's esbuild service, for one): named, not added.
  const helpers = descendants(pid);
  if (helpers.length) {
    const rssOr0 = (p: number) => {
      try {
        return rssKiB(p);
      } catch {
        return 0; // ended meanwhile
      }
    };
    const kib = helpers.reduce((n, p) => n + rssOr0(p), 0);
    console.log(`   (not included: ${helpers.length} child process(es) of the portal, ${(kib / 1024).toFixed(1)} MiB RSS now)`);
  }
  console.log(`   held: ${alive}/${want} sessions still answering at the end${alive === want ? '' : ' (see below)'}`);
  for (const p of problems) console.log(`     ${p}`);
  const part = 'console';
  return [
    { part, name: `portal RSS with ${opened} console sessions open`, value: withAll / 1024, unit: 'MiB', baseline: before / 1024, baselineNote: 'none open' },
    { part, name: 'portal RSS per console session', value: perSession, unit: 'MiB', note: `held ${HOLD_SECONDS} s, active` },
    { part, name: 'console sessions still answering', value: alive, unit: 'count', budget: { kind: 'min', limit: want }, note: `of ${want}` },
  ];
}

// ---- the parts, for this command and for bench/all.ts

/** The portal's settings this benchmark needs: room for part c's 2K sessions of one user. */
export const consolePortalEnv = (vms: number): Record<string, string> => ({
  PORTAL_MAX_CONSOLES_PER_USER: String(2 * vms + 8),
  PORTAL_MAX_CONSOLES: String(Math.max(256, 2 * vms + 8)),
});

/**
 * Runs parts a, b and c against `portal` (started with consolePortalEnv(vms)) in a namespace of their own, printing
 * as it goes, and resolves with their figures. What it creates is removed by runCleanups (registered here).
 */
export async function consoleBench(portal: Portal, vms: number): Promise<Figure[]> {
  if (!Number.isInteger(vms) || vms < 1) throw new Error('vms must be a whole number >= 1');
  ns = `${NS_PREFIX}${Date.now().toString(36)}`;
  // An earlier run's namespace still being deleted would load the machine (its guests) during this one.
  for (let waited = 0; kubectl(['get', 'namespaces', '-o', 'name']).stdout.includes(`namespace/${NS_PREFIX}`); waited += 2) {
    if (waited === 0) note('waiting for an earlier run\'s namespace to go');
    if (waited >= 300) {
      note('it is still there after 5 minutes; going on');
      break;
    }
    await sleep(2000);
  }
  const created = kubectl(['create', 'namespace', ns]);
  if (created.status !== 0) throw new Error(`kubectl create namespace ${ns}: ${created.stderr}`);
  const namespace = ns;
  onCleanup(`delete namespace ${namespace}`, () => {
    kubectl(['delete', 'vm', '--all', '-n', namespace, '--wait=false']);
    kubectl(['delete', 'namespace', namespace, '--wait=false']);
  });
  onCleanup('close console sockets', () => {
    for (const ws of sockets) ws.terminate();
  });
  console.log(`Console benchmark: portal ${portal.url} (pid ${portal.pid}, log ${portal.logFile}), namespace ${ns}, ${vms} VMs for part c`);

  const names = Array.from({ length: vms }, (_, i) => `con-${i}`);
  note(`starting ${names[0]}`);
  await startVms([names[0]!]);
  const figures = [...(await keystrokes(await creds(portal), names[0]!)), ...(await vncThroughput(await creds(portal), names[0]!))];
  if (vms > 1) {
    note(`starting ${names.slice(1).join(', ')}`);
    await startVms(names.slice(1));
  }
  figures.push(...(await concurrent(await creds(portal), names)));
  return figures;
}

async function main(): Promise<number> {
  const vms = Number((process.argv[2] ?? '').replace(/^vms=/, '') || 8);
  if (!Number.isInteger(vms) || vms < 1) throw new Error('vms must be a whole number >= 1');
  const portal = await startPortal({ port: PORT, env: consolePortalEnv(vms) });
  await consoleBench(portal, vms);
  return 0;
}

// Run as a command, not when bench/all.ts imports consoleBench.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runMain(main);
}
