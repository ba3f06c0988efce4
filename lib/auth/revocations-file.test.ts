import { appendFileSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { revocationKey } from './revocation-store';
import { FileRevocations } from './revocations-file';

const dir = () => mkdtempSync(join(tmpdir(), 'portal-revocations-'));
const now = () => Date.now() / 1000;
const key = (n: number) => revocationKey(`session-${n}`);

describe('FileRevocations', () => {
  it('keeps a revocation until its end, in a 0600 file', async () => {
    const file = join(dir(), 'state', 'revoked-sessions');
    const store = new FileRevocations(file);
    await store.add(key(1), Math.ceil(now()) + 60);
    expect(store.has(key(1), now())).toBe(true);
    expect(store.has(key(2), now())).toBe(false);
    expect(store.has(key(1), now() + 120)).toBe(false);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('lets two processes sharing the state directory agree: each sees what the other appended', async () => {
    const file = join(dir(), 'revoked-sessions');
    const a = new FileRevocations(file);
    const b = new FileRevocations(file);
    expect(b.has(key(1), now())).toBe(false);
    await a.add(key(1), Math.ceil(now()) + 60);
    expect(b.has(key(1), now())).toBe(true);
    await b.add(key(2), Math.ceil(now()) + 60);
    expect(a.has(key(2), now())).toBe(true);
    // A third, started later, reads the whole file.
    const c = new FileRevocations(file);
    expect(c.has(key(1), now()) && c.has(key(2), now())).toBe(true);
  });

  it('leaves a line still being written for the next check, and skips lines that are not entries', async () => {
    const file = join(dir(), 'revoked-sessions');
    const a = new FileRevocations(file);
    const until = Math.ceil(now()) + 60;
    appendFileSync(file, `not an entry\n${key(1)} ${until}\n${key(2)} ${String(until).slice(0, 4)}`);
    expect(a.has(key(1), now())).toBe(true);
    expect(a.has(key(2), now())).toBe(false);
    appendFileSync(file, `${String(until).slice(4)}\n`);
    expect(a.has(key(2), now())).toBe(true);
  });

  it('rewrites the file once most of it has expired, and the other process reads the new one', async () => {
    const file = join(dir(), 'revoked-sessions');
    const a = new FileRevocations(file);
    const b = new FileRevocations(file);
    const past = Math.floor(now()) - 10;
    for (let i = 0; i < 65; i++) await a.add(key(i), past);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(65);
    const live = Math.ceil(now()) + 60;
    await a.add(key(100), live);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toEqual([`${key(100)} ${live}`]);
    expect(b.has(key(100), now())).toBe(true);
    expect(b.has(key(3), past - 1)).toBe(false); // forgotten along with the old file
  });

  it('takes over the list of an older portal (raw ids, JSON), hashed, and removes it', async () => {
    const d = dir();
    const legacy = join(d, 'revoked-sessions.json');
    const until = Math.ceil(now()) + 60;
    writeFileSync(legacy, JSON.stringify([['raw-session-id', until], ['expired-id', 1]]));
    const store = new FileRevocations(join(d, 'revoked-sessions'), legacy);
    expect(store.has(revocationKey('raw-session-id'), now())).toBe(true);
    expect(existsSync(legacy)).toBe(false);
    const text = readFileSync(join(d, 'revoked-sessions'), 'utf8');
    expect(text).toBe(`${revocationKey('raw-session-id')} ${until}\n`);
    expect(text).not.toContain('raw-session-id');
  });
});
