// `npm run test:e2e`: builds the portal if its sources changed since the last build, starts the production server
// on port 3000 (the port registered as redirect URI at the sandbox's Dex), runs the Playwright specs in Debian's
// Chromium, and stops the server. The sandbox must be up (scripts/test.sh brings it up before this runs).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PORT = Number(process.env.PORTAL_E2E_PORT ?? 3000);
const SOURCES = ['app', 'components', 'lib', 'messages', 'next.config.ts', 'postcss.config.mjs', 'package-lock.json', 'tsconfig.portal.json'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((e) => newestMtime(join(path, e))));
}

// When the last build started, not ended: a source saved while it ran may not be in it.
const BUILT_FROM = '.next/e2e-built-from';

function needsBuild(): boolean {
  if (!existsSync('.next/BUILD_ID') || !existsSync(BUILT_FROM)) return true;
  const started = Number(readFileSync(BUILT_FROM, 'utf8'));
  return !Number.isFinite(started) || SOURCES.some((s) => newestMtime(s) > started);
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '0.0.0.0', () => s.close(() => resolve(true)));
  });
}

async function waitReady(url: string, server: ChildProcess, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < end) {
    if (server.exitCode !== null) throw new Error(`the portal exited with ${server.exitCode}`);
    try {
      const r = await fetch(`${url}/readyz`);
      last = await r.text();
      if (r.ok) return;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the portal did not become ready: ${last}`);
}

async function main(): Promise<number> {
  if (!existsSync('/usr/bin/chromium') && !process.env.CHROMIUM_PATH) {
    console.error('e2e: /usr/bin/chromium is missing (apt-get install -y chromium)');
    return 1;
  }
  if (needsBuild()) {
    console.log('e2e: building the portal (next build)');
    const started = Date.now();
    const b = spawnSync('npm', ['run', '-s', 'build'], { stdio: 'inherit' });
    if (b.status !== 0) return b.status ?? 1;
    writeFileSync(BUILT_FROM, String(started));
  }
  if (!(await portFree(PORT))) {
    console.error(`e2e: port ${PORT} is in use; the sandbox's identity provider only accepts sign-in redirects to http://localhost:${PORT}. Stop whatever listens there.`);
    return 1;
  }
  const url = `http://localhost:${PORT}`;
  // A fresh state directory: a new session secret and no revocations from earlier runs.
  const state = mkdtempSync(join(tmpdir(), 'portal-e2e-'));
  // A production server on the sandbox: PORTAL_SANDBOX lets the sandbox's API server, Dex, CA and kubeconfig be the
  // defaults, which a production start otherwise does not have.
  const server = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
    env: { ...process.env, NODE_ENV: 'production', PORTAL_SANDBOX: 'true', PORT: String(PORT), NEXTAUTH_URL: url, PORTAL_STATE_DIR: state, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  const stop = () => {
    if (server.exitCode === null && server.pid) {
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  };
  process.once('SIGINT', () => (stop(), process.exit(130)));
  process.once('SIGTERM', () => (stop(), process.exit(143)));
  try {
    await waitReady(url, server, 60_000);
    const r = spawnSync('npx', ['playwright', 'test', ...process.argv.slice(2)], {
      stdio: 'inherit',
      env: { ...process.env, PORTAL_URL: url, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
    });
    return r.status ?? 1;
  } catch (err) {
    console.error(`e2e: ${(err as Error).message}`);
    return 1;
  } finally {
    stop();
  }
}

main().then((code) => process.exit(code));
