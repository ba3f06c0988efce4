// Where the portal may send a browser after sign-in or sign-out: only paths on the portal itself. Browsers read a
// backslash as a slash and drop tabs and newlines from URLs, and a path may be decoded again further along, so each
// of those readings must still be a same-origin path, or the default is used instead.

const DEFAULT_REDIRECT_PATH = '/vms';

const MAX_LENGTH = 2048;
const MAX_DECODES = 3;
// A placeholder origin: what a relative path resolves against when checking that it stays on it.
const PROBE_ORIGIN = 'http://portal.invalid';

// Control characters and backslashes never appear in a path the portal builds; a space only percent-encoded.
const UNSAFE_RAW = /[\u0000-\u0020\u007f-\u009f\\]/;
const UNSAFE_DECODED = /[\u0000-\u001f\u007f-\u009f\\]/;

function looksLikeLocalPath(s: string, unsafe: RegExp = UNSAFE_RAW): boolean {
  return !unsafe.test(s) && s.startsWith('/') && !s.startsWith('//');
}

// Dot segments can collapse into a leading `//` (`/.//evil`), so a path is also checked as a browser resolves it.
function normalized(path: string): string | undefined {
  const url = new URL(path, PROBE_ORIGIN);
  return url.origin === PROBE_ORIGIN ? url.pathname + url.search + url.hash : undefined;
}

function isLocalReading(s: string, unsafe: RegExp): boolean {
  if (!looksLikeLocalPath(s, unsafe)) return false;
  const n = normalized(s);
  return n !== undefined && looksLikeLocalPath(n, unsafe);
}

export function safeRedirectPath(input: unknown, fallback: string = DEFAULT_REDIRECT_PATH): string {
  if (typeof input !== 'string' || input.length === 0 || input.length > MAX_LENGTH) return fallback;
  let reading = input;
  for (let i = 0; i <= MAX_DECODES; i++) {
    if (!isLocalReading(reading, i === 0 ? UNSAFE_RAW : UNSAFE_DECODED)) return fallback;
    let decoded: string;
    try {
      decoded = decodeURIComponent(reading);
    } catch {
      return fallback;
    }
    if (decoded === reading) break;
    if (i === MAX_DECODES) return fallback; // still decoding further: nested encodings are not a portal path
    reading = decoded;
  }
  return normalized(input) ?? fallback;
}

// For next-auth's redirect callback, which hands over absolute URLs as well as paths: an absolute URL is kept only
// on the portal's configured public origin (never the request's Host header), and then as a checked path.
export function safeRedirectUrl(input: string, publicUrl: string): string {
  const origin = new URL(publicUrl).origin;
  let path: unknown = input;
  if (!input.startsWith('/')) {
    let url: URL | undefined;
    try {
      url = new URL(input);
    } catch {
      url = undefined;
    }
    path = url && url.origin === origin ? url.pathname + url.search + url.hash : undefined;
  }
  return origin + safeRedirectPath(path);
}
