import { request as httpsRequest } from 'node:https';
import { readFileSync } from 'node:fs';
import { presentFile, settings } from '../settings';

// Readiness: the API server answers its own /readyz (anonymous access may be off, so 401/403 still proves it is up).
// No credentials are sent. Used by server.ts, outside Next, so it must not import 'server-only'.
export function apiServerReachable(timeoutMs = 2000): Promise<boolean> {
  const { server } = settings().cluster;
  const caFile = presentFile(settings().cluster.caFile);
  return new Promise((resolve) => {
    let ca: Buffer | undefined;
    try {
      ca = caFile ? readFileSync(caFile) : undefined;
    } catch {
      ca = undefined;
    }
    const r = httpsRequest(`${server}/readyz`, { ca, timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 || res.statusCode === 401 || res.statusCode === 403);
    });
    r.on('timeout', () => r.destroy());
    r.on('error', () => resolve(false));
    r.end();
  });
}
