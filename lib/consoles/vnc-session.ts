// What the VNC console does after its websocket closes: reconnect (with backoff), stop, or tell the user that
// another viewer holds or took the session. Pure: the component feeds it the close code and reason the portal's
// console proxy sent, and a random number for the jitter.
//
// KubeVirt (1.6.3+) lets one VNC viewer per VMI connect at a time. A viewer that asks with preserveSession=true is
// refused while another is connected, with virt-handler's text "Active VNC connection. Request denied."; without it
// the connected viewer is dropped (KubeVirt just closes its stream). This console always asks with
// preserveSession=true, except when the user chooses "Take over".

import { closeAdvice, consolePath, consoleSocketUrl, ConsoleClose } from '../shared/console-protocol';

/** virt-handler's refusal text; the proxy puts it, exactly, in the close reason (4409, lib/ws/close.ts). */
export const ACTIVE_VNC_REFUSAL = 'Active VNC connection. Request denied.';

/**
 * The close code the proxy uses when it ends this viewer's socket because another viewer of the same VMI connected
 * through the portal (ConsoleClose.REPLACED): with preserveSession=false that is a takeover. KubeVirt itself only
 * drops the stream, so a takeover through another route (virtctl, another portal replica) looks like a lost
 * connection; see afterClose.
 */
export const CLOSE_TAKEN_OVER = ConsoleClose.REPLACED;

/** KubeVirt's answer for a VMI with autoattachGraphicsDevice: false; it will not change while the VMI runs. */
export const NO_GRAPHICS_REASON = 'No graphics devices are present.';

export type CloseKind = 'takenOver' | 'busy' | 'final' | 'lost';

export interface CloseInfo {
  code: number;
  reason: string;
}

// The portal's close codes (lib/shared/console-protocol.ts) decide what can be retried; session expiry (refresh,
// then connect again) is the console's to handle before this.
export function classifyClose({ code, reason }: CloseInfo): CloseKind {
  if (code === CLOSE_TAKEN_OVER) return 'takenOver';
  if (reason.includes(ACTIVE_VNC_REFUSAL)) return 'busy';
  if (closeAdvice(code) === 'final' || reason.includes(NO_GRAPHICS_REASON)) return 'final';
  return 'lost';
}

export const BACKOFF_INITIAL_MS = 1000;
export const BACKOFF_MAX_MS = 30_000;
/** A connection that stayed up this long resets the backoff; shorter ones count as failed attempts. */
export const STABLE_CONNECTION_MS = 10_000;
/**
 * How many "Active VNC connection" refusals in a row are taken as an old stream of this browser still being torn
 * down (and retried with the backoff) before concluding that another viewer has the session: once on a first
 * connect (the page was just reloaded, or opened again in this tab), twice after this viewer lost its session.
 */
export const BUSY_RETRIES_FIRST = 1;
export const BUSY_RETRIES = 2;

/** The delay before attempt `attempt` (0-based): 1 s doubling up to 30 s, less up to a quarter at random (jitter). */
export function backoffDelay(attempt: number, random: number): number {
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_INITIAL_MS * 2 ** Math.max(0, Math.min(attempt, 30)));
  const r = Math.min(1, Math.max(0, random));
  return Math.round(base - base * 0.25 * r);
}

export interface ReconnectState {
  /** Consecutive attempts that did not give a stable connection. */
  attempt: number;
  /** Consecutive "Active VNC connection" refusals retried (since the deliberate connect, or since the session was lost). */
  busyRetries: number;
  /** This viewer had a session since the user last (re)connected on purpose. */
  hadSession: boolean;
}

/** The state when the user connects on purpose (first open, Reconnect, Take over). */
export const freshState = (): ReconnectState => ({ attempt: 0, busyRetries: 0, hadSession: false });

export type Decision =
  | { kind: 'retry'; delayMs: number; state: ReconnectState }
  /** Refused: another viewer is connected. Offer "Take over". */
  | { kind: 'held'; state: ReconnectState }
  /** This viewer's session went to another viewer. Say so, offer "Take over", do not reconnect. */
  | { kind: 'takenOver'; state: ReconnectState }
  /** Nothing to retry; show the reason. */
  | { kind: 'final'; state: ReconnectState };

export interface ClosedSocket extends CloseInfo {
  /** The RFB session was established on this socket. */
  connected: boolean;
  /** How long it was connected, in ms (0 when never). */
  connectedMs: number;
}

/** What to do after a socket this console did not close itself has closed. */
export function afterClose(prev: ReconnectState, closed: ClosedSocket, random: number): Decision {
  let state = { ...prev };
  if (closed.connected) {
    state.hadSession = true;
    state.busyRetries = 0;
    if (closed.connectedMs >= STABLE_CONNECTION_MS) state.attempt = 0;
  }
  const retry = (): Decision => ({ kind: 'retry', delayMs: backoffDelay(state.attempt, random), state: { ...state, attempt: state.attempt + 1 } });
  switch (classifyClose(closed)) {
    case 'takenOver':
      return { kind: 'takenOver', state };
    case 'final':
      return { kind: 'final', state };
    case 'busy':
      // Our own old stream may not be gone yet (the proxy and KubeVirt tear it down after a drop or a reload): try
      // again a little before saying someone else has the session.
      if (state.busyRetries < (state.hadSession ? BUSY_RETRIES : BUSY_RETRIES_FIRST)) {
        state = { ...state, busyRetries: state.busyRetries + 1 };
        return retry();
      }
      return { kind: state.hadSession ? 'takenOver' : 'held', state };
    case 'lost':
      return retry();
  }
}

/** The websocket address of the portal's VNC proxy for a VM. */
export function vncSocketUrl(page: { protocol: string; host: string }, namespace: string, name: string, preserveSession: boolean): string {
  return consoleSocketUrl(page, consolePath('vnc', namespace, name, { preserveSession }));
}

/** `<vm>-<UTC time>.png`, safe as a file name on every system (no colons). */
export function screenshotFileName(vmName: string, at: Date): string {
  const stamp = at.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-');
  return `${vmName}-${stamp}.png`;
}
