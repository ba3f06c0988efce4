// A small HTTPS client for health checks and token requests (Node's fetch cannot take a CA or client certificate).
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';

export interface TlsFiles {
  ca?: string;
  cert?: string;
  key?: string;
  insecure?: boolean;
}

export interface HttpResult {
  status: number;
  body: string;
}

export function httpRequest(
  method: string,
  url: string,
  tls: TlsFiles | undefined,
  opts: { headers?: Record<string, string>; body?: string; timeoutMs?: number } = {},
): Promise<HttpResult> {
  const u = new URL(url);
  const mod = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(
      u,
      {
        method,
        headers: opts.headers,
        timeout: opts.timeoutMs ?? 5000,
        ...(u.protocol === 'https:'
          ? {
              ca: tls?.ca ? readFileSync(tls.ca) : undefined,
              cert: tls?.cert ? readFileSync(tls.cert) : undefined,
              key: tls?.key ? readFileSync(tls.key) : undefined,
              rejectUnauthorized: !tls?.insecure,
            }
          : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${url}`)));
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

export const httpGet = (url: string, tls?: TlsFiles) => httpRequest('GET', url, tls);
