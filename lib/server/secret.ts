import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

// next-auth encrypts its session cookie with NEXTAUTH_SECRET. A deployment sets it; on a laptop or in CI the portal
// makes one on first start and keeps it in a 0600 file, so `npm start` needs no manual set-up and sessions
// survive a restart.
export function sessionSecretFromFile(file: string): string {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  chmodSync(file, 0o600);
  return readFileSync(file, 'utf8').trim();
}
