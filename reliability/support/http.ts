import { request } from 'node:http';

// Raw HTTP to the portal: the path goes out byte for byte as given (fetch would normalize `..` and re-encode), and
// a streaming answer (server-sent events) is cut after its head, so a fuzzed GET of a stream does not hang.

export interface Answer {
  status: number;
  contentType: string;
  text: string;
}

export function send(base: string, method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<Answer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method, path, headers: { ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}), ...headers }, timeout: 60_000 },
      (res) => {
        const contentType = String(res.headers['content-type'] ?? '');
        if (contentType.startsWith('text/event-stream')) {
          res.destroy();
          resolve({ status: res.statusCode ?? 0, contentType, text: '' });
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within 60 s`)));
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** Whether an answer carries the portal's one error shape, { error: { code, message } } with strings. */
export function hasErrorShape(a: Answer): boolean {
  if (!a.contentType.includes('application/json')) return false;
  try {
    const e = (JSON.parse(a.text) as { error?: { code?: unknown; message?: unknown } }).error;
    return typeof e?.code === 'string' && e.code !== '' && typeof e.message === 'string' && e.message !== '';
  } catch {
    return false;
  }
}

export function errorCode(a: Answer): string | undefined {
  try {
    return (JSON.parse(a.text) as { error?: { code?: string } }).error?.code;
  } catch {
    return undefined;
  }
}

/** Headers a page of the portal sends with a mutation: its session cookie, next-auth's CSRF token, its Origin. */
export async function signedHeaders(base: string, cookie: string): Promise<Record<string, string>> {
  const a = await send(base, 'GET', '/api/auth/csrf', { cookie });
  const { csrfToken } = JSON.parse(a.text) as { csrfToken: string };
  return { cookie, 'x-csrf-token': csrfToken, origin: new URL(base).origin };
}

/** A CSRF cookie and token of no session at all (next-auth hands them to anyone), to tell 401 from 403. */
export async function anonymousCsrf(base: string): Promise<Record<string, string>> {
  const r = await fetch(`${base}/api/auth/csrf`);
  const cookie = r.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = (await r.json()) as { csrfToken: string };
  return { cookie, 'x-csrf-token': csrfToken, origin: new URL(base).origin };
}
