// What the benchmarks share: the portal's session cookie from a real sign-in in Chromium, a sandbox user's ID token,
// percentiles and their printing, a production portal of their own, the resident memory of a process, and cleanup
// that also runs on Ctrl+C.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from '@playwright/test';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export type SandboxUser = 'admin' | 'dev-a' | 'dev-b' | 'viewer';

/** Chromium for the benchmarks: headless, and Ctrl+C is the benchmark's to handle (its cleanup), not Playwright's. */
export async function launchChromium(): Promise<Browser> {
  // Loaded here, not at the top: the pure helpers of this module are unit-tested without Playwright.
  const { chromium } = await import('@playwright/test');
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
    handleSIGINT: false,
    handleSIGTERM: false,
  });
}

/**
 * Signs `page` (whose context's baseURL is the portal) in as a sandbox user the way a person does: the portal's
 * sign-in button, then Dex's login page, which the portal serves from its own origin. Ends on the VM list.
 */
export async function signInPage(page: Page, user: SandboxUser): Promise<void> {
  await page.goto('/vms');
  await page.getByTestId('sign-in').click();
  await page.waitForURL(/\/dex\//);
  await page.locator('input[name="login"]').fill(`${user}@sandbox.test`);
  await page.locator('input[name="password"]').fill(user);
  await page.locator('button[type="submit"], #submit-login').first().click();
  await page.waitForURL((url) => url.pathname.startsWith('/vms'), { timeout: 30_000 });
}

/**
 * Signs in to the portal at `portal` as a sandbox user (signInPage) and returns the cookies as a Cookie header. The
 * session lasts as long as the user's ID token (15 minutes in the sandbox), since nothing here refreshes it.
 */
export async function portalCookie(portal: string, user: SandboxUser): Promise<string> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ ignoreHTTPSErrors: true, baseURL: portal });
    await signInPage(page, user);
    return (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  } finally {
    await browser.close();
  }
}

/** The token half of next-auth's csrf cookie, which the portal wants back in x-csrf-token (double submit). */
export function csrfOf(cookie: string): string {
  const m = /(?:^|;\s*)(?:__Host-)?next-auth\.csrf-token=([^;]+)/.exec(cookie);
  if (!m) throw new Error('no next-auth csrf cookie in the signed-in cookies');
  return decodeURIComponent(m[1]!).split('|')[0]!;
}

// ID tokens last 15 minutes in the sandbox: one is reused for 10, so a caller that asks per request (a fleet of
// 10,000 VMs takes longer than a token lasts) costs one sign-in per 10 minutes, not one per request.
export const TOKEN_FRESH_MS = 10 * 60_000;
const tokens = new Map<SandboxUser, { at: number; token: string }>();

/** An ID token of a sandbox user from the sandbox's identity provider, at most 10 minutes old. */
export function sandboxToken(user: SandboxUser): string {
  const t = tokens.get(user);
  if (t && Date.now() - t.at < TOKEN_FRESH_MS) return t.token;
  const fresh = { at: Date.now(), token: execFileSync('npm', ['run', '-s', 'sandbox:token', '--', user], { cwd: repoRoot, encoding: 'utf8' }).trim() };
  tokens.set(user, fresh);
  return fresh.token;
}

export const adminToken = () => sandboxToken('admin');

/** The p-th percentile (nearest rank, 0 < p <= 100) of xs. */
export function pct(xs: number[], p: number): number {
  if (xs.length === 0) throw new Error('pct of no samples');
  return [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
}

/** A duration for a table of figures: two decimals under 10 ms, one under 1 s, then seconds. */
export function fmtMs(ms: number): string {
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

// ---- cleanup

type Cleanup = () => void | Promise<void>;
const cleanups: { name: string; fn: Cleanup }[] = [];
let signalsInstalled = false;

/**
 * Registers something to undo (newest first) by runCleanups: from a finally block, and on Ctrl+C or SIGTERM, where
 * the process exits once they are done (a second Ctrl+C exits at once). Returns a function that unregisters it.
 */
export function onCleanup(name: string, fn: Cleanup): () => void {
  const entry = { name, fn };
  cleanups.push(entry);
  if (!signalsInstalled) {
    signalsInstalled = true;
    for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
      process.once(signal, () => {
        console.error(`\n${signal}: cleaning up (again to exit at once)`);
        void runCleanups().finally(() => process.exit(code));
      });
    }
  }
  return () => {
    const i = cleanups.indexOf(entry);
    if (i >= 0) cleanups.splice(i, 1);
  };
}

/** Runs (once each) what was registered, newest first; a failure is printed and the rest still run. */
export async function runCleanups(): Promise<void> {
  while (cleanups.length) {
    const { name, fn } = cleanups.pop()!;
    try {
      await fn();
    } catch (err) {
      console.error(`cleanup (${name}) failed: ${(err as Error).message}`);
    }
  }
}

/** A command's entry: runs main, then the cleanups whatever happened, and exits with main's code (1 when it threw). */
export function runMain(main: () => Promise<number>, onError: (err: unknown) => void = (err) => console.error(err)): void {
  void main()
    .catch((err: unknown) => {
      onError(err);
      return 1;
    })
    .then(async (code) => {
      await runCleanups();
      process.exit(code);
    });
}

// ---- a portal of the benchmark's own

export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '0.0.0.0', () => s.close(() => resolve(true)));
  });
}

// What e2e/run.ts rebuilds for; here only a warning, a benchmark does not build.
const PORTAL_SOURCES = ['app', 'components', 'lib', 'messages', 'next.config.ts', 'postcss.config.mjs', 'package-lock.json', 'tsconfig.portal.json'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((e) => newestMtime(join(path, e))));
}

export interface Portal {
  pid: number;
  url: string;
  logFile: string;
  /** SIGTERM to the portal's process group, SIGKILL after 10 s; resolves once it has exited. */
  stop(): Promise<void>;
}

export interface PortalOptions {
  port?: number;
  env?: Record<string, string>;
  /** The address users reach it at (NEXTAUTH_URL), when that is not its own port: a replica behind a balancer. */
  publicUrl?: string;
  /** A state directory of the caller's (kept after the stop, so a restarted replica finds it again). */
  stateDir?: string;
  /** How long to wait for /readyz (60 s by default; a loaded machine may need more). */
  readyTimeoutMs?: number;
}

/**
 * Starts the production portal as e2e/run.ts does (`node --import tsx server.ts` with NODE_ENV=production,
 * PORTAL_SANDBOX=true, PORT, NEXTAUTH_URL=publicUrl or http://localhost:<port> and a PORTAL_STATE_DIR, fresh unless
 * given) plus `env`, and resolves once /readyz answers 200 (within readyTimeoutMs). Needs a built portal (.next, `npm run build`) and the
 * sandbox up. Port 3000 is the one the sandbox's Dex accepts sign-in redirects for. Its output goes to a log file
 * (logFile, appended to by a restart on the same state directory), not to the benchmark's; it is kept after the
 * stop. The stop is registered with onCleanup as well.
 */
export async function startPortal(opts: PortalOptions = {}): Promise<Portal> {
  const port = opts.port ?? 3000;
  if (!existsSync(join(repoRoot, '.next', 'BUILD_ID'))) {
    throw new Error(`no built portal in ${join(repoRoot, '.next')}: run \`npm run build\` first (a benchmark does not build)`);
  }
  const built = statSync(join(repoRoot, '.next', 'BUILD_ID')).mtimeMs;
  const stale = PORTAL_SOURCES.filter((s) => newestMtime(join(repoRoot, s)) > built);
  if (stale.length) console.warn(`warning: the portal's build is older than ${stale.join(', ')}; this measures the build, not the sources (npm run build)`);
  if (!(await portFree(port))) {
    throw new Error(
      opts.publicUrl
        ? `port ${port} is in use; stop whatever listens there.`
        : `port ${port} is in use; the sandbox's identity provider only accepts sign-in redirects to http://localhost:${port}. Stop whatever listens there.`,
    );
  }
  const url = `http://localhost:${port}`;
  const ownState = opts.stateDir === undefined;
  const state = opts.stateDir ?? mkdtempSync(join(tmpdir(), 'portal-bench-'));
  mkdirSync(state, { recursive: true });
  // Beside the state directory, so it outlives the stop (which removes the state and its session secret).
  const logFile = `${state}.log`;
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORTAL_SANDBOX: 'true',
      PORT: String(port),
      NEXTAUTH_URL: opts.publicUrl ?? url,
      PORTAL_STATE_DIR: state,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      NEXT_TELEMETRY_DISABLED: '1',
      ...opts.env,
    },
    stdio: ['ignore', log, log],
    detached: true,
  });
  closeSync(log);
  const pid = child.pid;
  if (pid === undefined) throw new Error('the portal did not start');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-pid, 'SIGTERM');
        } catch {
          // already gone
        }
        const killed = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
        if (!killed) {
          try {
            process.kill(-pid, 'SIGKILL');
          } catch {
            // gone meanwhile
          }
          await exited;
        }
      }
      if (ownState) rmSync(state, { recursive: true, force: true });
    })());
  onCleanup('stop the portal', stop);
  const logTail = () => readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n');
  const readyTimeoutMs = opts.readyTimeoutMs ?? 60_000;
  const end = Date.now() + readyTimeoutMs;
  let last = '';
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`the portal exited with ${child.exitCode}:\n${logTail()}`);
    try {
      const r = await fetch(`${url}/readyz`);
      last = `${r.status} ${await r.text()}`;
      if (r.ok) return { pid, url, logFile, stop };
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(300);
  }
  throw new Error(`the portal did not become ready within ${readyTimeoutMs / 1000} s (last: ${last}):\n${logTail()}`);
}

// ---- memory

/** VmRSS of a /proc/<pid>/status text, in KiB. */
export function parseVmRssKiB(status: string): number {
  const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!m) throw new Error('no VmRSS line');
  return Number(m[1]);
}

/** The resident set of a process, in KiB (Linux). */
export function rssKiB(pid: number): number {
  return parseVmRssKiB(readFileSync(`/proc/${pid}/status`, 'utf8'));
}

/** The processes started by pid and by them, from /proc/<pid>/task/<tid>/children (Linux). */
export function descendants(pid: number): number[] {
  const direct: number[] = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (text) direct.push(...text.split(/\s+/).map(Number));
    }
  } catch {
    return []; // gone
  }
  return direct.flatMap((c) => [c, ...descendants(c)]);
}

/** The median of `samples` readings of rssKiB, `everyMs` apart (RSS moves with the garbage collector). */
export async function sampleRssKiB(pid: number, samples = 5, everyMs = 1000): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < samples; i++) {
    if (i) await sleep(everyMs);
    xs.push(rssKiB(pid));
  }
  return pct(xs, 50);
}
