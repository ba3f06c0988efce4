// `npm run test:long`: the long test, not part of every CI run. Does a serial console through the portal survive
// being left alone? One running VM in team-a; its serial console opened through the portal as dev-a (session cookie
// from a sign-in in Chromium), the shell's prompt got, then nothing sent for IDLE_MINUTES (default 10). At the end
// the socket must never have closed, and Enter must bring the prompt back. Exit 0 with a line saying so; exit 1 with
// the close code and reason (or what went wrong) otherwise.
//
// Nothing is sent at the application level while idle; the ws library answers the portal's pings (every 25 s when
// idle, lib/ws/pipe.ts) as a browser does, which is exactly what keeps an idle console alive.
//
// The session's end bounds the idle time: the sandbox's ID tokens expire 15 minutes after sign-in
// (SANDBOX_ID_TOKEN_TTL), the portal session ends with its ID token, and the portal then closes the console with 4002
// (session expired; a browser refreshes its session and reconnects). 10 minutes, plus signing in and getting the
// prompt, is inside that; an IDLE_MINUTES of 14 or more would measure the session's end, not idleness.
//
// Starts its own production portal on port 3000 (needs `npm run build` and the port free), or uses PORTAL_URL if
// set. Needs the sandbox up (npm run sandbox:up) and Chromium (/usr/bin/chromium or CHROMIUM_PATH).
import { createVm, deleteVm, uniqueName, waitForStatus } from '../e2e/support/cluster';
import { onCleanup, portalCookie, runMain, sleep, startPortal } from '../bench/support.ts';
import { closeSocket, openPortalConsole, promptOf, SerialProbe } from '../bench/support/consoles.ts';

const IDLE_MINUTES = Number(process.env.IDLE_MINUTES ?? 10);
const ns = 'team-a';

const closedNow = (p: SerialProbe) => p.closed;

function say(s: string) {
  console.log(`console-idle: ${s}`);
}

async function main(): Promise<number> {
  if (!Number.isFinite(IDLE_MINUTES) || IDLE_MINUTES <= 0) throw new Error('IDLE_MINUTES must be a positive number');
  if (IDLE_MINUTES >= 14) say(`warning: ${IDLE_MINUTES} minutes reaches the session's end (ID tokens last 15 minutes): expect 4002, not an idle failure`);

  let portal = process.env.PORTAL_URL;
  if (!portal) {
    const started = await startPortal({ port: 3000 });
    portal = started.url;
    say(`started a portal at ${portal} (pid ${started.pid}, log ${started.logFile})`);
  }

  const vm = uniqueName('idle');
  createVm(vm, ns, 'Always');
  onCleanup(`delete VM ${ns}/${vm}`, () => deleteVm(vm, ns));
  await waitForStatus(vm, ns, 'Running', 180_000);

  const cookie = await portalCookie(portal, 'dev-a');
  const ws = await openPortalConsole(portal, cookie, 'serial', ns, vm);
  onCleanup('close the console', () => closeSocket(ws));
  const probe = new SerialProbe(ws);
  await probe.prompt(vm, 180_000);
  say(`serial console of ${ns}/${vm} open through ${portal} as dev-a, prompt seen; idle for ${IDLE_MINUTES} min`);

  const closed = new Promise<void>((resolve) => (probe.closed ? resolve() : ws.once('close', () => resolve())));
  const openedAt = performance.now();
  const idleMs = IDLE_MINUTES * 60_000;
  const closedAfter = () => ((probe.closed!.at - openedAt) / 60_000).toFixed(1);
  while (performance.now() - openedAt < idleMs) {
    if (probe.closed) {
      say(`FAILED: the portal closed the console after ${closedAfter()} min idle: code ${probe.closed.code}, reason ${JSON.stringify(probe.closed.reason)}`);
      return 1;
    }
    const left = idleMs - (performance.now() - openedAt);
    await Promise.race([sleep(Math.min(60_000, left)), closed]);
    const minutes = (performance.now() - openedAt) / 60_000;
    if (!probe.closed && left > 60_000) say(`${minutes.toFixed(0)} min idle, still open`);
  }
  if (probe.closed) {
    say(`FAILED: the portal closed the console after ${closedAfter()} min idle: code ${probe.closed.code}, reason ${JSON.stringify(probe.closed.reason)}`);
    return 1;
  }

  probe.mark();
  probe.send('\r');
  try {
    await probe.waitFor(promptOf(vm), 30_000);
  } catch (err) {
    // (read through a function: the socket may have closed since the check above, which TypeScript cannot know)
    const end = closedNow(probe);
    const why = end ? `closed: code ${end.code}, reason ${JSON.stringify(end.reason)}` : (err as Error).message;
    say(`FAILED: open after ${IDLE_MINUTES} min idle, but Enter brought no prompt back (${why})`);
    return 1;
  }
  say(`OK: the serial console stayed open through ${IDLE_MINUTES} min idle (no close) and Enter brought the prompt back`);
  return 0;
}

runMain(main, (err) => say(`FAILED: ${(err as Error).message}`));
