import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Domain } from './domain.ts';

const plan = { vmiUid: 'uid-1', namespace: 'ns', name: 'vm', memoryMiB: 64, cpus: 1, nics: [], disks: [], paused: false };

describe('Domain.serialTail', () => {
  it('gives the end of the serial log', () => {
    const vms = mkdtempSync(join(tmpdir(), 'domain-test-'));
    const d = new Domain(plan, vms);
    mkdirSync(d.dir, { recursive: true });
    writeFileSync(d.sockets.serialLog, 'boot\nlogin: root\n~ # ');
    expect(d.serialTail(9)).toBe('root\n~ # ');
    expect(d.serialTail(1000)).toBe('boot\nlogin: root\n~ # ');
  });

  it('is empty before the guest wrote anything', () => {
    const d = new Domain(plan, mkdtempSync(join(tmpdir(), 'domain-test-')));
    expect(d.serialTail(100)).toBe('');
  });
});
