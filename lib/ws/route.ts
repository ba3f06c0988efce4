import { namespaceName, objectName } from '../shared/names';
import { CONSOLE_KINDS, CONSOLES_PREFIX, type ConsoleKind } from '../shared/console-protocol';

// Which console an upgrade asks for, from its request target alone. Pure. Anything that is not exactly
// /api/consoles/<namespace>/<name>/<serial|vnc> is no console (404); a name that cannot be a Kubernetes name, or a
// query the console does not take, is a bad request (400). Nothing here is trusted further than these rules.

export interface ConsoleTarget {
  kind: ConsoleKind;
  namespace: string;
  name: string;
  preserveSession?: boolean; // vnc only, passed on to KubeVirt
}

export type ConsoleRoute =
  | { ok: true; target: ConsoleTarget }
  | { ok: false; status: 400 | 404; code: 'bad_request' | 'not_found'; message: string };

const notFound: ConsoleRoute = { ok: false, status: 404, code: 'not_found', message: 'There is no console at this address.' };
const bad = (message: string): ConsoleRoute => ({ ok: false, status: 400, code: 'bad_request', message });

function decode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

export function parseConsoleUrl(url: string | undefined): ConsoleRoute {
  const raw = url ?? '';
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  const search = q < 0 ? '' : raw.slice(q + 1);
  if (!path.startsWith(`${CONSOLES_PREFIX}/`)) return notFound;
  const parts = path.slice(CONSOLES_PREFIX.length + 1).split('/');
  if (parts.length !== 3 || parts.includes('')) return notFound;
  const [rawNs, rawName, kind] = parts as [string, string, string];
  if (!(CONSOLE_KINDS as readonly string[]).includes(kind)) return notFound;
  const namespace = decode(rawNs);
  const name = decode(rawName);
  if (namespace === undefined || name === undefined) return bad('The console address does not percent-decode.');
  if (!namespaceName.safeParse(namespace).success) return bad('The namespace is not a valid Kubernetes namespace name.');
  if (!objectName.safeParse(name).success) return bad('The name is not a valid Kubernetes object name.');
  const target: ConsoleTarget = { kind: kind as ConsoleKind, namespace, name };
  if (search !== '') {
    let params: URLSearchParams;
    try {
      params = new URLSearchParams(search);
    } catch {
      return bad('The console address has a malformed query.');
    }
    const keys = [...params.keys()];
    if (kind !== 'vnc' || keys.length !== 1 || keys[0] !== 'preserveSession') {
      return bad(kind === 'vnc' ? 'The VNC console takes one query parameter, preserveSession=true|false.' : 'The serial console takes no query parameters.');
    }
    const value = params.get('preserveSession');
    if (value !== 'true' && value !== 'false') return bad('preserveSession must be true or false.');
    target.preserveSession = value === 'true';
  }
  return { ok: true, target };
}

/** The KubeVirt subresource that serves a console kind. */
export function subresourceOf(kind: ConsoleKind): 'console' | 'vnc' {
  return kind === 'serial' ? 'console' : 'vnc';
}
