// The console websockets between the browser and the portal (lib/ws/ serves them, components/consoles/ opens them).
//
// Address: /api/consoles/<namespace>/<name>/serial or /vnc (vnc may add ?preserveSession=true|false), on the page's
// own origin; the session cookie authenticates it, never a token in the URL. A plain GET of the same address (no
// upgrade) is the check the browser asks when a handshake failed, since a browser cannot read why a websocket
// handshake was refused. Subprotocol plain.kubevirt.io; binary frames both ways carrying exactly the guest's bytes
// (serial bytes, or RFB for vnc); text frames are dropped. The portal closes with the codes below, and a reason
// (English, at most 123 bytes) that the browser shows as the portal's or the cluster's words.

export const CONSOLE_SUBPROTOCOL = 'plain.kubevirt.io';
export const CONSOLES_PREFIX = '/api/consoles';
export const CONSOLE_KINDS = ['serial', 'vnc'] as const;
export type ConsoleKind = (typeof CONSOLE_KINDS)[number];

export interface ConsoleOptions {
  // vnc only: true asks KubeVirt to refuse rather than take over another client's VNC session.
  preserveSession?: boolean;
}

const segment = encodeURIComponent;

/** The portal path of a console; the same path answers the plain-GET check. */
export function consolePath(kind: ConsoleKind, namespace: string, name: string, opts: ConsoleOptions = {}): string {
  const path = `${CONSOLES_PREFIX}/${segment(namespace)}/${segment(name)}/${kind}`;
  return kind === 'vnc' && opts.preserveSession !== undefined ? `${path}?preserveSession=${opts.preserveSession}` : path;
}

/** The websocket URL of a portal path on the page's own origin (ws: for http:, wss: for https:). */
export function consoleSocketUrl(page: { protocol: string; host: string }, path: string): string {
  return `${page.protocol === 'https:' ? 'wss:' : 'ws:'}//${page.host}${path}`;
}

/** The answer of the plain-GET check: the user may open this console, from pages served at `origin`. */
export interface ConsoleCheck {
  allowed: true;
  origin: string;
}

/** Close codes the portal sends to the browser. Upstream refusals are 4000 + the HTTP status the portal maps them to. */
export const ConsoleClose = {
  NORMAL: 1000,
  GOING_AWAY: 1001, // the portal is shutting down
  TOO_BIG: 1009, // a frame larger than the portal accepts
  INTERNAL: 1011,
  UPSTREAM_CLOSED: 4000, // the VM's console ended (its VMI moved to another node, virt-handler restarted, ...)
  SESSION_ENDED: 4001, // signed out
  SESSION_EXPIRED: 4002, // the session reached its end; a refreshed session may open the console again
  REPLACED: 4003, // another console to the same VM was opened (KubeVirt keeps one per VM)
  TOO_MANY: 4004, // the per-user or total cap of open consoles
  UNRESPONSIVE: 4005, // the VM's side stopped answering pings
  WRONG_ORIGIN: 4006, // the browser's own verdict: the page is not on the public URL the portal checks Origin against
  REFUSED_BAD_REQUEST: 4400, // e.g. "VMI is not running", "No serial consoles are present."
  REFUSED_UNAUTHENTICATED: 4401, // the cluster no longer accepts the session's credential
  REFUSED_FORBIDDEN: 4403,
  REFUSED_NOT_FOUND: 4404, // no VMI (yet, or any more)
  REFUSED_CONFLICT: 4409, // e.g. "VMI is in failed status", a refused VNC preserveSession
  REFUSED_TOO_MANY: 4429,
  UPSTREAM_UNAVAILABLE: 4502, // the API server or KubeVirt could not be reached or failed
} as const;

export const MAX_CLOSE_REASON_BYTES = 123;

/**
 * What the browser does after a close: retry with backoff, refresh the session first and then retry, or stop (access
 * refused, signed out, replaced by another console, over a cap, or closed on purpose) and wait for the user.
 */
export type CloseAdvice = 'retry' | 'refresh' | 'final';

const FINAL: ReadonlySet<number> = new Set([
  ConsoleClose.NORMAL,
  ConsoleClose.SESSION_ENDED,
  ConsoleClose.REPLACED,
  ConsoleClose.TOO_MANY,
  ConsoleClose.WRONG_ORIGIN,
  ConsoleClose.REFUSED_UNAUTHENTICATED,
  ConsoleClose.REFUSED_FORBIDDEN,
]);

export function closeAdvice(code: number): CloseAdvice {
  if (code === ConsoleClose.SESSION_EXPIRED) return 'refresh';
  return FINAL.has(code) ? 'final' : 'retry';
}
