// Direct calls to the API server (status codes and bodies matter here, which kubectl hides), as the admin or as a
// sandbox user, including websocket subresources.
import { readFileSync } from 'node:fs';
import https from 'node:https';
import WebSocket from 'ws';
import { urls } from '../launcher/paths.ts';
import { pki } from '../launcher/pki.ts';
import { tokenFor } from './helpers.ts';

export interface ApiResponse {
  status: number;
  body: Buffer;
  text: string;
  headers: Record<string, string | string[] | undefined>;
}

async function credentials(as?: string) {
  const ca = readFileSync(pki.caCert);
  if (as) return { ca, headers: { authorization: `Bearer ${await tokenFor(as)}` } };
  const { cert, key } = pki.cert('admin');
  return { ca, cert: readFileSync(cert), key: readFileSync(key), headers: {} };
}

export async function api(method: string, path: string, opts: { as?: string; body?: unknown } = {}): Promise<ApiResponse> {
  const cred = await credentials(opts.as);
  const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      new URL(path, urls.apiserver),
      {
        method,
        ca: cred.ca,
        cert: cred.cert,
        key: cred.key,
        headers: { ...cred.headers, ...(payload ? { 'content-type': 'application/json' } : {}) },
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, body, text: body.toString('utf8'), headers: res.headers });
        });
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

export const subresource = (ns: string, kind: 'virtualmachines' | 'virtualmachineinstances', name: string, sub: string) =>
  `/apis/subresources.kubevirt.io/v1/namespaces/${ns}/${kind}/${name}/${sub}`;

export async function openWebsocket(path: string, opts: { as?: string; protocols?: string[] } = {}): Promise<WebSocket> {
  const cred = await credentials(opts.as);
  const url = new URL(path, urls.apiserver.replace('https', 'wss'));
  const ws = new WebSocket(url, opts.protocols ?? ['plain.kubevirt.io'], { ca: cred.ca, cert: cred.cert, key: cred.key, headers: cred.headers });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => reject(new Error(`websocket refused: ${res.statusCode} ${Buffer.concat(chunks).toString()}`)));
    });
  });
  return ws;
}

/** Collects what a websocket sends until `until` matches the text so far, or the timeout passes. */
export function readUntil(ws: WebSocket, until: RegExp, timeoutMs = 15_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onMessage = (data: Buffer) => {
      text += data.toString('utf8');
      if (until.test(text)) {
        cleanup();
        resolve(text);
      }
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out waiting for ${until}; got: ${JSON.stringify(text.slice(-500))}`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      ws.off('message', onMessage);
    };
    ws.on('message', onMessage);
  });
}

export interface SerialShell {
  /** Types a command and waits until the output so far matches `until`. */
  run(cmd: string, until: RegExp, timeoutMs?: number): Promise<string>;
  close(): void;
}

/** A VMI's serial console, once the guest's shell prompt (`root@<hostname>`) shows. */
export async function serialShell(ns: string, vmi: string, opts: { as?: string; hostname?: string; timeoutMs?: number } = {}): Promise<SerialShell> {
  const ws = await openWebsocket(subresource(ns, 'virtualmachineinstances', vmi, 'console'), { as: opts.as });
  // The prompt shows once per Enter: keep pressing it while the guest boots.
  const poke = setInterval(() => ws.send(Buffer.from('\n')), 1000);
  await readUntil(ws, new RegExp(`root@${opts.hostname ?? vmi}`), opts.timeoutMs ?? 60_000).finally(() => clearInterval(poke));
  return {
    run: (cmd, until, timeoutMs) => {
      ws.send(Buffer.from(cmd + '\n'));
      return readUntil(ws, until, timeoutMs);
    },
    close: () => ws.close(),
  };
}
