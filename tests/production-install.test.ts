// A production install as the image has it (deploy/Dockerfile): runtime dependencies only (`npm ci --omit=dev`), then its
// production start, serving the sign-in page. Catches a runtime import that lives in devDependencies, a file server.ts
// needs that the image lacks, or a start that needs dev tooling. Runs after the end-to-end specs, which leave the
// production build in .next.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runtimeLayout } from './support/dockerfile';

const root = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'portal-prod-'));
// A whole node_modules to remove: well over vitest's 10 s hook default on a loaded machine.
afterAll(() => rmSync(work, { recursive: true, force: true }), 120_000);

const freePort = () =>
  new Promise<number>((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });

describe('a production install', () => {
  it('starts from runtime dependencies alone and serves the sign-in page', async () => {
    expect(existsSync(join(root, '.next/BUILD_ID')), 'a production build in .next (npm run build)').toBe(true);
    // What the image ships (deploy/Dockerfile's runtime stage): the same files, the build without its cache, nothing
    // installed. tests/dockerfile.test.ts holds that list to what server.ts loads.
    for (const f of runtimeLayout().fromBuild) {
      cpSync(join(root, f), join(work, f), { recursive: true, filter: (src) => !src.includes(`${join('.next', 'cache')}`) });
    }
    execFileSync('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund'], { cwd: work, stdio: 'pipe', env: { ...process.env, NODE_ENV: 'production' } });
    expect(existsSync(join(work, 'node_modules/typescript')), 'dev tooling is not installed').toBe(false);
    expect(existsSync(join(work, 'node_modules/vitest'))).toBe(false);

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    // As the image starts it (its CMD).
    const server = spawn('node', ['--import', 'tsx', 'server.ts'], {
      cwd: work,
      // On the sandbox (PORTAL_SANDBOX: its cluster and identity provider are the defaults), from the scratch copy.
      env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', PORTAL_SANDBOX: 'true', PORT: String(port), HOST: '127.0.0.1', NEXTAUTH_URL: url, PORTAL_STATE_DIR: join(work, '.portal'), SANDBOX_STATE_DIR: join(root, '.sandbox') },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    server.stdout.on('data', (d) => (output += d));
    server.stderr.on('data', (d) => (output += d));
    try {
      const deadline = Date.now() + 60_000;
      let page = '';
      while (Date.now() < deadline) {
        if (server.exitCode !== null) break;
        const r = await fetch(`${url}/signin`).catch(() => undefined);
        if (r?.ok) {
          page = await r.text();
          break;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(page, output.slice(-2000)).toContain('data-testid="sign-in"');
    } finally {
      if (server.pid) process.kill(-server.pid, 'SIGTERM');
    }
  }, 600_000);
});

