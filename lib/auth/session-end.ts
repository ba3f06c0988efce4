// No 'server-only' marker: server.ts loads this for the console websockets (lib/ws/), outside Next's bundler.
import { isRevoked as revokedInStore } from './revocations';
import type { SessionLife } from './session-check';

// A long-lived response (a server-sent event stream, later a console socket) was authorized once, when it opened;
// this tells it when its session has since been signed out or has run out, so it can close rather than outlive it.

export type SessionEndReason = 'revoked' | 'expired';

export interface SessionEndOptions {
  intervalMs?: number;
  nowMs?: () => number;
  isRevoked?: (sid: string) => boolean;
}

const SESSION_CHECK_INTERVAL_MS = 2_000;

// Calls onEnd once when the session ends; returns a stop function. No session (kubeconfig mode: nobody signs in)
// never ends.
export function watchSessionEnd(session: SessionLife | undefined, onEnd: (reason: SessionEndReason) => void, opts: SessionEndOptions = {}): () => void {
  if (!session) return () => {};
  const { intervalMs = SESSION_CHECK_INTERVAL_MS, nowMs = Date.now, isRevoked = revokedInStore } = opts;
  const timer = setInterval(() => {
    const reason: SessionEndReason | undefined = isRevoked(session.sid) ? 'revoked' : nowMs() >= session.endsAt * 1000 ? 'expired' : undefined;
    if (!reason) return;
    clearInterval(timer);
    onEnd(reason);
  }, intervalMs);
  // A stream that is still open must not keep the process from shutting down.
  timer.unref?.();
  return () => clearInterval(timer);
}
