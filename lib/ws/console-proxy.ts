import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { capReason, ConsoleCaps } from './caps';
import { clampReason, closeForRefusal, closeForUpstreamEnd, type CloseFrame } from './close';
import { originAllowed } from './origin';
import { ConsolePipe, type DirectionStats, type PipeEnd } from './pipe';
import { parseConsoleUrl, subresourceOf, type ConsoleTarget } from './route';
import type { IdentityResult, SessionLife } from '../auth/session-check';
import type { SessionEndReason } from '../auth/session-end';
import { PortalError, toPortalError } from '../k8s/errors';
import { identityKey, type K8sIdentity } from '../k8s/identity';
import type { DialOptions, SubresourceSocketTarget } from '../k8s/subresource-socket';
import { acceptRequestId, log as defaultLog, REQUEST_ID_HEADER } from '../log';
import { metrics } from '../metrics/registry';
import type { AccessCheck, AccessResult } from '../shared/access-review';
import { CONSOLE_SUBPROTOCOL, ConsoleClose } from '../shared/console-protocol';
import type { ErrorResponse } from '../shared/error-body';

// The console websockets: an upgrade on /api/consoles/<namespace>/<name>/<serial|vnc> becomes a websocket to
// KubeVirt's console or vnc subresource, opened through the API server as the signed-in user, and the two are piped
// together. In order, before anything is dialled, each refused with a plain HTTP answer in the portal's error shape
// and the socket closed: the address (404/400), the handshake itself (400), the Origin against the configured public
// URL (403), the session cookie (401), and a SelfSubjectAccessReview for get on virtualmachineinstances/console or
// /vnc (403). Then the caps (a slot per console; refused with close 4004), then the dial: KubeVirt's refusal (VMI not
// running, ...) reaches the browser as a close code with KubeVirt's words. The console ends with the session.
// I/O comes in as ConsoleProxyDeps so the whole path is unit-tested against a real upstream websocket server.

export interface ConsoleLimits {
  perUser: number;
  total: number;
  maxFrameBytes: number;
  bufferBytes: number; // high-water mark; low-water is a quarter of it
}

export interface ConsoleProxyDeps {
  expectedOrigin: string; // settings().site.origin
  authenticate(req: IncomingMessage): Promise<IdentityResult>;
  review(identity: K8sIdentity, check: AccessCheck): Promise<AccessResult>;
  dial(identity: K8sIdentity, target: SubresourceSocketTarget, opts: DialOptions): Promise<WebSocket>;
  watchSession(session: SessionLife | undefined, onEnd: (reason: SessionEndReason) => void): () => void;
  limits: ConsoleLimits;
  pingIntervalMs?: number; // default 25 s
  handshakeTimeoutMs?: number; // upstream handshake, default 10 s (virt-api's own)
  log?: typeof defaultLog;
}

export interface ConsoleInfo {
  id: string;
  user: string;
  kind: ConsoleTarget['kind'];
  namespace: string;
  name: string;
  toBrowser: DirectionStats;
  toUpstream: DirectionStats;
}

interface Console {
  id: string;
  requestId: string;
  user: string; // identityKey: the caps' key
  username: string;
  target: ConsoleTarget;
  openedAt: number;
  pipe?: ConsolePipe;
  // A newer console to the same VM is being opened: KubeVirt ends this one, and that end means "replaced".
  replacing: boolean;
}

const DEFAULT_PING_MS = 25_000;
const DEFAULT_HANDSHAKE_MS = 10_000;
const WS_KEY = /^[+/0-9A-Za-z]{22}==$/;

function offeredProtocols(req: IncomingMessage): Set<string> {
  const header = req.headers['sec-websocket-protocol'];
  return new Set((header ?? '').split(',').map((p) => p.trim()).filter(Boolean));
}

/** A refusal before any upgrade: a complete HTTP response on the raw socket, then the socket is closed. */
function refuse(socket: Duplex, err: PortalError, requestId: string): void {
  const body = JSON.stringify(err.toBody() satisfies ErrorResponse);
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  // Destroyed once the answer is written, whatever the client does with its end.
  socket.end(
    `HTTP/1.1 ${err.status} ${STATUS_CODES[err.status] ?? ''}\r\n` +
      `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\ncache-control: no-store\r\n` +
      `${REQUEST_ID_HEADER}: ${requestId}\r\nconnection: close\r\n\r\n${body}`,
    () => socket.destroy(),
  );
  setTimeout(() => socket.destroy(), 1000).unref?.();
}

export class ConsoleProxy {
  private readonly wss: WebSocketServer;
  private readonly caps: ConsoleCaps;
  private readonly open = new Map<string, Console>();
  private readonly log: typeof defaultLog;

  constructor(private readonly deps: ConsoleProxyDeps) {
    this.caps = new ConsoleCaps(deps.limits);
    this.log = deps.log ?? defaultLog;
    this.wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: deps.limits.maxFrameBytes,
      handleProtocols: (offered) => (offered.has(CONSOLE_SUBPROTOCOL) ? CONSOLE_SUBPROTOCOL : false),
    });
  }

  /** The upgrade handler for the router (server.ts mounts it on CONSOLES_PREFIX). */
  readonly handle = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const requestId = acceptRequestId(req.headers[REQUEST_ID_HEADER], randomUUID);
    socket.on('error', () => undefined);
    this.accept(req, socket, head, requestId).catch((err: unknown) => {
      this.log('error', 'console upgrade failed', { requestId, error: (err as Error)?.message });
      if (!socket.destroyed) refuse(socket, new PortalError(500, 'internal', 'Something went wrong in the portal.'), requestId);
    });
  };

  /** The open consoles, for diagnostics and tests. */
  connections(): ConsoleInfo[] {
    return [...this.open.values()].flatMap((c) => {
      if (!c.pipe) return [];
      const s = c.pipe.stats();
      return [{ id: c.id, user: c.username, kind: c.target.kind, namespace: c.target.namespace, name: c.target.name, toBrowser: s.toBrowser, toUpstream: s.toUpstream }];
    });
  }

  /** Ends every console (the portal is shutting down); browsers reconnect. */
  closeAll(code: number = ConsoleClose.GOING_AWAY, reason = 'The portal is shutting down.'): void {
    for (const c of this.open.values()) c.pipe?.close(code, reason);
  }

  private async accept(req: IncomingMessage, socket: Duplex, head: Buffer, requestId: string): Promise<void> {
    const route = parseConsoleUrl(req.url);
    const refused = (err: PortalError, fields: Record<string, unknown> = {}) => {
      this.log('info', 'console refused', { requestId, status: err.status, code: err.code, ...fields });
      refuse(socket, err, requestId);
    };
    if (!route.ok) return refused(new PortalError(route.status, route.code, route.message));
    const target = route.target;
    const where = { kind: target.kind, namespace: target.namespace, name: target.name };

    if (req.method !== 'GET' || req.headers.upgrade?.toLowerCase() !== 'websocket' || !WS_KEY.test(req.headers['sec-websocket-key'] ?? '') || req.headers['sec-websocket-version'] !== '13') {
      return refused(new PortalError(400, 'bad_request', 'Not a websocket handshake.'), where);
    }
    if (!offeredProtocols(req).has(CONSOLE_SUBPROTOCOL)) {
      return refused(new PortalError(400, 'bad_request', `Offer the ${CONSOLE_SUBPROTOCOL} subprotocol.`), where);
    }
    if (!originAllowed(req.headers.origin, this.deps.expectedOrigin)) {
      return refused(new PortalError(403, 'csrf', 'This console was not opened from the portal’s own pages and was refused.'), where);
    }

    const who = await this.deps.authenticate(req);
    if (!who.ok) {
      return refused(
        new PortalError(401, 'unauthenticated', who.reason === 'expired' ? 'Your session has expired; sign in again.' : 'Sign in first.', { reason: who.reason }),
        where,
      );
    }
    const { identity } = who;
    const subresource = subresourceOf(target.kind);
    const check: AccessCheck = { verb: 'get', group: 'subresources.kubevirt.io', resource: 'virtualmachineinstances', subresource, namespace: target.namespace, name: target.name };
    let review: AccessResult;
    try {
      review = await this.deps.review(identity, check);
    } catch (err) {
      return refused(toPortalError(err), { ...where, user: identity.username });
    }
    if (!review.allowed) {
      const message = `Not allowed to get virtualmachineinstances/${subresource} "${target.name}" in namespace "${target.namespace}".`;
      return refused(new PortalError(403, 'forbidden', message, review.reason ? { reason: review.reason } : undefined), { ...where, user: identity.username });
    }
    if (socket.destroyed) return;

    const user = identityKey(identity);
    const slot = this.caps.acquire(user);
    if (!slot.ok) {
      this.log('info', 'console refused', { requestId, code: 'too_many_requests', cap: slot.cap, limit: slot.limit, ...where, user: identity.username });
      this.upgradeAndClose(req, socket, head, { code: ConsoleClose.TOO_MANY, reason: clampReason(capReason(slot)) });
      return;
    }

    const c: Console = { id: randomUUID(), requestId, user, username: identity.username, target, openedAt: Date.now(), replacing: false };
    const others = this.sameVm(c);
    for (const o of others) o.replacing = true;
    const abort = new AbortController();
    const onGone = () => abort.abort();
    socket.once('close', onGone);
    let upstream: WebSocket;
    try {
      upstream = await this.deps.dial(
        identity,
        { namespace: target.namespace, name: target.name, subresource, ...(target.preserveSession !== undefined ? { query: { preserveSession: String(target.preserveSession) } } : {}) },
        { maxPayload: this.deps.limits.maxFrameBytes, handshakeTimeoutMs: this.deps.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_MS, signal: abort.signal },
      );
    } catch (err) {
      for (const o of others) o.replacing = false;
      slot.release();
      socket.off('close', onGone);
      if ((err as Error)?.name === 'AbortError' || socket.destroyed) return;
      const e = toPortalError(err);
      const frame = closeForRefusal(e);
      this.log('info', 'console refused upstream', { requestId, status: e.status, code: e.code, closeCode: frame.code, reason: frame.reason, ...where, user: identity.username });
      this.upgradeAndClose(req, socket, head, frame);
      return;
    }
    socket.off('close', onGone);
    if (socket.destroyed) {
      upstream.terminate();
      slot.release();
      return;
    }

    let upgraded = false;
    this.wss.handleUpgrade(req, socket, head, (browser) => {
      upgraded = true;
      this.open.set(c.id, c);
      metrics().consoles.inc({ kind: target.kind });
      let stopSessionWatch = () => {};
      const pipe = new ConsolePipe(
        browser,
        upstream,
        {
          highWaterBytes: this.deps.limits.bufferBytes,
          lowWaterBytes: Math.floor(this.deps.limits.bufferBytes / 4),
          pingIntervalMs: this.deps.pingIntervalMs ?? DEFAULT_PING_MS,
          upstreamEnd: (code, reason) =>
            c.replacing ? { code: ConsoleClose.REPLACED, reason: 'Another console to this VM was opened, here or in another window.' } : closeForUpstreamEnd(code, reason),
        },
        (end) => {
          stopSessionWatch();
          slot.release();
          this.open.delete(c.id);
          metrics().consoles.dec({ kind: target.kind });
          this.logEnd(c, end);
        },
      );
      c.pipe = pipe;
      this.log('info', 'console opened', { requestId, id: c.id, ...where, user: identity.username });
      // Authorized once, at open: the console must not outlive a sign-out or the session's end.
      stopSessionWatch = this.deps.watchSession(who.session, (reason) =>
        pipe.close(
          reason === 'revoked' ? ConsoleClose.SESSION_ENDED : ConsoleClose.SESSION_EXPIRED,
          reason === 'revoked' ? 'You signed out.' : 'Your session reached its end; reconnect to continue.',
        ),
      );
      // KubeVirt keeps one console per VM: the older ones to this VM are over.
      for (const o of others) o.pipe?.close(ConsoleClose.REPLACED, 'Another console to this VM was opened, here or in another window.');
    });
    if (!upgraded) {
      // ws refused the handshake itself (and answered it): nothing to pipe into.
      upstream.terminate();
      slot.release();
      for (const o of others) o.replacing = false;
    }
  }

  // The open consoles of the same kind to the same VM (KubeVirt keeps one serial and one VNC stream per VMI).
  private sameVm(c: Console): Console[] {
    return [...this.open.values()].filter(
      (o) => o.target.kind === c.target.kind && o.target.namespace === c.target.namespace && o.target.name === c.target.name && !o.pipe?.isEnded,
    );
  }

  /** The handshake passed every check but the console cannot be had: upgrade, then close with why. */
  private upgradeAndClose(req: IncomingMessage, socket: Duplex, head: Buffer, frame: CloseFrame): void {
    if (socket.destroyed) return;
    this.wss.handleUpgrade(req, socket, head, (browser) => {
      browser.on('error', () => undefined);
      browser.close(frame.code, frame.reason);
    });
  }

  private logEnd(c: Console, end: PipeEnd): void {
    const s = c.pipe?.stats();
    this.log('info', 'console closed', {
      requestId: c.requestId,
      id: c.id,
      kind: c.target.kind,
      namespace: c.target.namespace,
      name: c.target.name,
      user: c.username,
      by: end.by,
      code: end.code,
      reason: end.reason,
      durationMs: Date.now() - c.openedAt,
      bytesToBrowser: s?.toBrowser.bytes,
      bytesToUpstream: s?.toUpstream.bytes,
      pauses: (s?.toBrowser.pauses ?? 0) + (s?.toUpstream.pauses ?? 0),
    });
  }
}
