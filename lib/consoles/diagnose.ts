import { consolePath, ConsoleClose, type ConsoleCheck, type ConsoleKind } from '../shared/console-protocol';
import { errorOfBody } from '../shared/error-body';

// Why a console's websocket handshake failed. A browser only sees "closed, 1006" when the portal refused the upgrade
// with an HTTP answer, so the console asks the same address with a plain GET (the same session and access review):
// a refusal there ends the attempts with its words; anything else (the portal restarting, the network) is retried.

export type Diagnosis = { verdict: 'retry' } | { verdict: 'final'; code: number; reason: string };

export interface DiagnoseInput {
  kind: ConsoleKind;
  namespace: string;
  name: string;
  pageOrigin: string; // location.origin
  fetch: (url: string, init: RequestInit) => Promise<Response>;
}

export async function diagnoseConsole(i: DiagnoseInput): Promise<Diagnosis> {
  let res: Response;
  try {
    res = await i.fetch(consolePath(i.kind, i.namespace, i.name), { credentials: 'same-origin', cache: 'no-store', headers: { accept: 'application/json' } });
  } catch {
    return { verdict: 'retry' };
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  if (res.ok) {
    const check = body as Partial<ConsoleCheck> | undefined;
    // The websocket's Origin is checked against the configured public URL: a page opened under another address
    // (an IP, another host name) is refused every time.
    if (check?.origin && check.origin !== i.pageOrigin) return { verdict: 'final', code: ConsoleClose.WRONG_ORIGIN, reason: check.origin };
    return { verdict: 'retry' };
  }
  const message = errorOfBody(body)?.message ?? '';
  if (res.status === 401) return { verdict: 'final', code: ConsoleClose.SESSION_ENDED, reason: message };
  if (res.status === 403) return { verdict: 'final', code: ConsoleClose.REFUSED_FORBIDDEN, reason: message };
  if (res.status === 400 || res.status === 404) return { verdict: 'final', code: ConsoleClose.REFUSED_BAD_REQUEST, reason: message };
  return { verdict: 'retry' };
}
