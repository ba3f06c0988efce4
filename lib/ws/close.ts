import { scrub, type PortalError } from '../k8s/errors';
import { ConsoleClose, MAX_CLOSE_REASON_BYTES } from '../shared/console-protocol';

// How the end of the upstream side becomes a close code and reason for the browser (lib/shared/console-protocol.ts
// lists the codes). Pure.

export interface CloseFrame {
  code: number;
  reason: string;
}

/** A close reason must fit in 123 bytes of UTF-8: cut at a character boundary, with an ellipsis when cut. */
export function clampReason(text: string): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (Buffer.byteLength(clean) <= MAX_CLOSE_REASON_BYTES) return clean;
  let out = '';
  for (const ch of clean) {
    if (Buffer.byteLength(out + ch + '…') > MAX_CLOSE_REASON_BYTES) break;
    out += ch;
  }
  return `${out}…`;
}

const REFUSAL_CODES: Record<number, number> = {
  400: ConsoleClose.REFUSED_BAD_REQUEST,
  401: ConsoleClose.REFUSED_UNAUTHENTICATED,
  403: ConsoleClose.REFUSED_FORBIDDEN,
  404: ConsoleClose.REFUSED_NOT_FOUND,
  409: ConsoleClose.REFUSED_CONFLICT,
  429: ConsoleClose.REFUSED_TOO_MANY,
};

// virt-handler's refusal of a second VNC viewer asked with preserveSession=true (KubeVirt 1.6.4+). It reaches the
// portal wrapped in virt-api's 500 ("Internal error occurred: Can't connect to websocket (503): ... application info:
// Active VNC connection. Request denied."), too long for a close reason: passed on as exactly this text.
export const ACTIVE_VNC_REFUSAL = 'Active VNC connection. Request denied.';

/** The API server or KubeVirt refused to open the console (or could not be reached): KubeVirt's words, scrubbed. */
export function closeForRefusal(err: PortalError): CloseFrame {
  if (err.message.includes(ACTIVE_VNC_REFUSAL)) return { code: ConsoleClose.REFUSED_CONFLICT, reason: ACTIVE_VNC_REFUSAL };
  return { code: REFUSAL_CODES[err.status] ?? ConsoleClose.UPSTREAM_UNAVAILABLE, reason: clampReason(err.message) };
}

/**
 * The upstream websocket ended. KubeVirt tears a console down without a close handshake (1006), when the VMI moves
 * to another node, virt-handler restarts or another client takes the console over; any reason it did send is kept.
 */
export function closeForUpstreamEnd(code: number, reason: string): CloseFrame {
  if (code === ConsoleClose.TOO_BIG) return { code: ConsoleClose.UPSTREAM_CLOSED, reason: 'The VM’s console sent a frame larger than the portal accepts.' };
  const said = scrub(reason);
  return { code: ConsoleClose.UPSTREAM_CLOSED, reason: clampReason(said ? `The VM’s console closed: ${said}` : 'The VM’s console closed.') };
}
