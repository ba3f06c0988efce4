import { describe, expect, it } from 'vitest';
import {
  ACTIVE_VNC_REFUSAL,
  BACKOFF_MAX_MS,
  BUSY_RETRIES,
  BUSY_RETRIES_FIRST,
  CLOSE_TAKEN_OVER,
  STABLE_CONNECTION_MS,
  afterClose,
  backoffDelay,
  classifyClose,
  freshState,
  screenshotFileName,
  vncSocketUrl,
  type ClosedSocket,
  type Decision,
  type ReconnectState,
} from './vnc-session';

const lost: ClosedSocket = { code: 1006, reason: '', connected: false, connectedMs: 0 };
const busy: ClosedSocket = { code: 4500, reason: ACTIVE_VNC_REFUSAL, connected: false, connectedMs: 0 };
const droppedAfter = (ms: number): ClosedSocket => ({ code: 1011, reason: 'upstream closed', connected: true, connectedMs: ms });

/** Runs closes through afterClose from a fresh state, returning each decision's kind (and delay for retries). */
function run(closes: ClosedSocket[], random = 0) {
  let state: ReconnectState = freshState();
  const out: string[] = [];
  let last: Decision | undefined;
  for (const c of closes) {
    last = afterClose(state, c, random);
    state = last.state;
    out.push(last.kind === 'retry' ? `retry ${last.delayMs}` : last.kind);
  }
  return { out, state, last };
}

describe('classifyClose', () => {
  it('tells a takeover, a refusal because of another viewer, a final refusal and a lost connection apart', () => {
    expect(classifyClose({ code: CLOSE_TAKEN_OVER, reason: 'VNC session taken over by another viewer' })).toBe('takenOver');
    expect(classifyClose({ code: 4500, reason: 'Active VNC connection. Request denied.' })).toBe('busy');
    // whatever code the proxy picks for it, and with KubeVirt's full message around it
    expect(classifyClose({ code: 1011, reason: "Can't connect to websocket (503): websocket: bad handshake: application info: Active VNC connection. Request denied." })).toBe('busy');
    // The portal's final closes (lib/shared/console-protocol.ts): signed out, over a cap, wrong origin, refused.
    expect(classifyClose({ code: 4001, reason: 'signed out' })).toBe('final');
    expect(classifyClose({ code: 4004, reason: 'too many consoles' })).toBe('final');
    expect(classifyClose({ code: 4006, reason: '' })).toBe('final');
    expect(classifyClose({ code: 4401, reason: '' })).toBe('final');
    expect(classifyClose({ code: 4403, reason: 'forbidden' })).toBe('final');
    expect(classifyClose({ code: 4400, reason: 'No graphics devices are present.' })).toBe('final');
    expect(classifyClose({ code: 4400, reason: 'VMI is not running' })).toBe('lost');
    expect(classifyClose({ code: 4404, reason: 'virtualmachineinstance.kubevirt.io "v" not found' })).toBe('lost');
    expect(classifyClose({ code: 1006, reason: '' })).toBe('lost');
    expect(classifyClose({ code: 1000, reason: '' })).toBe('final');
    // A session that reached its end is refreshed by the console before this is asked; alone it is not final.
    expect(classifyClose({ code: 4002, reason: '' })).toBe('lost');
  });
});

describe('backoffDelay', () => {
  it('starts at 1 s, doubles, stops at 30 s, and jitters down by at most a quarter', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 50].map((a) => backoffDelay(a, 0))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect(backoffDelay(0, 1)).toBe(750);
    expect(backoffDelay(10, 1)).toBe(22500);
    for (let i = 0; i < 100; i++) {
      const d = backoffDelay(i % 8, Math.random());
      expect(d).toBeGreaterThanOrEqual(750);
      expect(d).toBeLessThanOrEqual(BACKOFF_MAX_MS);
    }
  });
});

describe('afterClose', () => {
  it('reconnects after an unexpected drop with growing delays (a VM that moves to another node in a migration)', () => {
    expect(run([droppedAfter(60_000), lost, lost, lost, lost, lost, lost]).out).toEqual([
      'retry 1000', 'retry 2000', 'retry 4000', 'retry 8000', 'retry 16000', 'retry 30000', 'retry 30000',
    ]);
  });

  it('resets the backoff after a stable connection, not after one that dropped at once', () => {
    const flapping = run([lost, lost, lost, droppedAfter(500), droppedAfter(200)]);
    expect(flapping.out).toEqual(['retry 1000', 'retry 2000', 'retry 4000', 'retry 8000', 'retry 16000']);
    const stable = run([lost, lost, lost, droppedAfter(STABLE_CONNECTION_MS)]);
    expect(stable.out.at(-1)).toBe('retry 1000');
  });

  it('on a first connect, retries a refusal once (a reloaded page\'s old stream may linger), then says another viewer holds the session', () => {
    expect(BUSY_RETRIES_FIRST).toBe(1);
    expect(run([busy, busy]).out).toEqual(['retry 1000', 'held']);
    // and stops there: no loop
    expect(run([busy, busy, busy]).out).toEqual(['retry 1000', 'held', 'held']);
    // also after failed attempts that never got a session
    expect(run([lost, lost, busy, busy]).out).toEqual(['retry 1000', 'retry 2000', 'retry 4000', 'held']);
    // a refusal that cleared: connected on the retry
    expect(run([busy, droppedAfter(60_000)]).out).toEqual(['retry 1000', 'retry 1000']);
  });

  it('after losing its own session, retries a refusal a little (its old stream may linger), then says it was taken over', () => {
    const r = run([droppedAfter(30_000), ...Array.from({ length: BUSY_RETRIES + 1 }, () => busy)]);
    expect(r.out).toEqual(['retry 1000', 'retry 2000', 'retry 4000', 'takenOver']);
    // and the next try after a refusal that cleared gets its session again
    expect(run([droppedAfter(30_000), busy, lost]).out).toEqual(['retry 1000', 'retry 2000', 'retry 4000']);
  });

  it('stops with "taken over" when the proxy says another viewer took over, never looping', () => {
    expect(run([{ code: CLOSE_TAKEN_OVER, reason: 'VNC session taken over by another viewer', connected: true, connectedMs: 5000 }]).out).toEqual(['takenOver']);
  });

  it('stops on a final refusal', () => {
    expect(run([{ code: 4403, reason: 'not allowed', connected: false, connectedMs: 0 }]).out).toEqual(['final']);
    expect(run([droppedAfter(20_000), { code: 4004, reason: '', connected: false, connectedMs: 0 }]).out).toEqual(['retry 1000', 'final']);
  });

  it('does not change the state it is given', () => {
    const s = freshState();
    afterClose(s, droppedAfter(1), 0);
    expect(s).toEqual(freshState());
  });
});

describe('vncSocketUrl', () => {
  it('points at the portal proxy with the websocket scheme of the page and encoded segments', () => {
    expect(vncSocketUrl({ protocol: 'https:', host: 'portal.example' }, 'team-a', 'vm-1', true)).toBe('wss://portal.example/api/consoles/team-a/vm-1/vnc?preserveSession=true');
    expect(vncSocketUrl({ protocol: 'http:', host: 'localhost:3000' }, 'ns', 'a/../b', false)).toBe('ws://localhost:3000/api/consoles/ns/a%2F..%2Fb/vnc?preserveSession=false');
  });
});

describe('screenshotFileName', () => {
  it('is <vm>-<UTC time>.png without colons', () => {
    expect(screenshotFileName('vm-1', new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)))).toBe('vm-1-2026-01-02T03-04-05Z.png');
  });
});
