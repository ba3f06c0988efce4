import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sessionSecretFromFile } from './secret';

describe('sessionSecretFromFile', () => {
  it('makes a secret once, 0600, and every later start (or a second process) reads that one', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'portal-secret-')), 'state');
    const file = join(dir, 'session-secret');
    const first = sessionSecretFromFile(file);
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sessionSecretFromFile(file)).toBe(first);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['session-secret']); // no temporary file left behind
  });

  it('keeps a secret another process wrote first', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'portal-secret-')), 'session-secret');
    writeFileSync(file, 'theirs\n', { mode: 0o644 });
    expect(sessionSecretFromFile(file)).toBe('theirs');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
