import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

// next-auth encrypts its session cookie with NEXTAUTH_SECRET. A deployment sets it (several replicas must: each
// would otherwise make its own, and refuse the others' cookies; PORTAL_SESSION_STORE=kubernetes requires it). On a
// laptop or in CI the portal makes one on first start and keeps it in a 0600 file, so `npm start` needs no manual
// set-up and sessions survive a restart. Processes starting together on one host sharing the state directory agree
// on one: the file appears whole and only once (a hard link of a finished temporary file, which fails if another
// process's link came first).
export function sessionSecretFromFile(file: string): string {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(tmp, randomBytes(32).toString('base64url'), { mode: 0o600 });
  try {
    linkSync(tmp, file);
  } catch (err) {
    if ((err as { code?: string }).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(tmp);
  }
  chmodSync(file, 0o600);
  return readFileSync(file, 'utf8').trim();
}
