import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Qmp } from './qmp.ts';

const dirs: string[] = [];
const servers: net.Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function socketPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'qmp-test-'));
  dirs.push(dir);
  return join(dir, 'qmp.sock');
}

/** A socket file nobody accepts on: what QEMU's QMP socket is between its bind and its listen. */
function boundButNotListening(path: string) {
  // A process killed while listening leaves its socket file behind; connecting to it is refused.
  spawnSync(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`]);
  expect(existsSync(path)).toBe(true);
}

/** QEMU's side of QMP: a greeting, then an answer per command. */
function qmpServer(path: string): Promise<void> {
  const server = net.createServer((c) => {
    c.write(JSON.stringify({ QMP: { version: {}, capabilities: [] } }) + '\n');
    c.on('data', (d) => {
      for (const line of d.toString().split('\n').filter(Boolean)) {
        const cmd = JSON.parse(line) as { execute: string };
        c.write(JSON.stringify({ return: cmd.execute === 'query-status' ? { status: 'running' } : {} }) + '\n');
      }
    });
  });
  servers.push(server);
  return new Promise((r) => server.listen(path, () => r()));
}

describe('Qmp.connect', () => {
  it('is refused while QEMU has bound its socket but not yet listens, and succeeds when tried again once it does', async () => {
    const path = socketPath();
    boundButNotListening(path);
    const qmp = new Qmp(path);
    const refused = await qmp.connect().then(() => undefined, (e: unknown) => e);
    expect((refused as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');

    unlinkSync(path);
    await qmpServer(path);
    await qmp.connect();
    await expect(qmp.execute('query-status')).resolves.toEqual({ status: 'running' });
    qmp.close();
  });

  // A QEMU that dies between accepting and greeting: the attempt ends instead of waiting for good.
  it('ends an attempt whose connection closes before the greeting, and connects on the next one', async () => {
    const path = socketPath();
    const closing = net.createServer((c) => c.destroy());
    await new Promise<void>((r) => closing.listen(path, () => r()));
    const qmp = new Qmp(path);
    await expect(qmp.connect()).rejects.toThrow('QMP connection closed');
    await new Promise<void>((r) => closing.close(() => r()));

    await qmpServer(path);
    await qmp.connect();
    await expect(qmp.execute('query-status')).resolves.toEqual({ status: 'running' });
    qmp.close();
  });
});
