// The sandbox's lifecycle: up (build what is missing, start, seed, wait), down, status, reset, token.
import { rmSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { binaries, type Binaries } from './build.ts';
import { components, type Component } from './components.ts';
import { writeConfigFiles } from './config-files.ts';
import { paths, repoRoot, stateDir, urls, versions } from './paths.ts';
import { ensurePki } from './pki.ts';
import { isAlive, listRecords, readRecord, startProcess, stopProcess, guestPids } from './procs.ts';
import { seed, kubectl } from './seed.ts';
import { passwordGrant } from './token.ts';
import { users } from './users.ts';

export const log = (s: string) => process.stderr.write(`[sandbox] ${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, logFile?: string) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(250);
  }
  throw new Error(`${what} did not become healthy within ${timeoutMs / 1000} s${logFile ? `; see ${logFile}` : ''}`);
}

export async function startComponent(c: Component, bin: Binaries) {
  const rec = readRecord(c.name);
  if (isAlive(rec) && (await c.healthy())) return false;
  if (rec) await stopProcess(rec); // a stale or unhealthy one: replace it
  const logFile = join(paths.logs, `${c.name}.log`);
  const started = startProcess(c.name, c.command(bin), { env: c.env, cwd: repoRoot });
  await waitFor(
    c.name,
    async () => {
      if (!isAlive(started)) throw new Error(`${c.name} exited during start; see ${logFile}`);
      return c.healthy();
    },
    c.startTimeoutMs,
    logFile,
  );
  return true;
}

/** The OIDC authenticator initialises asynchronously after the API server is ready; wait until it accepts a token. */
async function waitForOidc(bin: Binaries) {
  const { idToken } = await passwordGrant('viewer');
  await waitFor(
    'OIDC authentication at the API server',
    async () =>
      spawnSync(bin.kubectl, ['--kubeconfig', paths.adminKubeconfig, '--context', 'sandbox-oidc', '--token', idToken, 'auth', 'whoami'], {
        encoding: 'utf8',
      }).status === 0,
    60_000,
  );
}

/**
 * Quota admission refuses every create ("status unknown for quota") until the quota controller has counted a
 * quota's resources, which for CRD-backed counts takes a discovery cycle after the CRDs appear.
 */
async function waitForQuotaStatus(bin: Binaries) {
  await waitFor(
    'resource quota status',
    async () => {
      const quotas = JSON.parse(kubectl(bin, ['get', 'resourcequota', '-A', '-o', 'json'])).items as {
        spec: { hard?: Record<string, string> };
        status?: { used?: Record<string, string> };
      }[];
      return quotas.every((q) => Object.keys(q.spec.hard ?? {}).every((k) => q.status?.used?.[k] !== undefined));
    },
    120_000,
  );
}

export async function up() {
  const t0 = Date.now();
  spawnSync('bash', [join(repoRoot, 'scripts/install-system-deps.sh')], { stdio: 'inherit' });
  const bin = binaries(log);
  ensurePki();
  writeConfigFiles();
  let changed = false;
  for (const c of components) {
    if (c.name === 'simulator') {
      // The simulator serves virt-api and the nodes; the cluster's objects must exist first.
      seed(bin);
    }
    const started = await startComponent(c, bin);
    if (started) log(`${c.name} started`);
    changed ||= started;
  }
  kubectl(bin, ['wait', '--for=condition=Ready', '--timeout=60s', 'node', '--all']);
  kubectl(bin, ['wait', '--for=condition=Available', '--timeout=60s', 'apiservice', 'v1.subresources.kubevirt.io']);
  await waitForOidc(bin);
  await waitForQuotaStatus(bin);
  log(`${changed ? 'up' : 'already up'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  printStatus(bin);
}

function printStatus(bin?: Binaries) {
  const lines = [
    `state:       ${stateDir}`,
    `API server:  ${urls.apiserver}  (Kubernetes ${versions.kubernetes}, KubeVirt API ${versions.kubevirt})`,
    `kubeconfig:  ${paths.adminKubeconfig}  (context sandbox: cluster-admin by client certificate;`,
    `             context sandbox-oidc: as the user of --token <ID token>)`,
    `identity:    ${urls.dexIssuer}  (Dex; client id kubevirt-portal)`,
    `kubectl:     ${bin?.kubectl ?? '(not built)'}`,
    'processes:',
    ...components.map((c) => {
      const rec = readRecord(c.name);
      return `  ${c.name.padEnd(24)} ${rec && isAlive(rec) ? `running  pid ${rec.pid}` : "stopped"}`;
    }),
    'users (password = user name; sign in with the e-mail address):',
    ...users.map((u) => `  ${u.username.padEnd(8)} ${u.email.padEnd(22)} groups: ${u.groups.join(',').padEnd(14)} ${u.role}`),
    'token:       npm run -s sandbox:token -- <user>',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

export async function down() {
  // Reverse start order: the simulator first (it owns the QEMU processes), etcd last.
  const known = new Set(components.map((c) => c.name));
  const records = listRecords();
  const ordered = [
    ...records.filter((r) => !known.has(r.name)),
    ...[...components].reverse().flatMap((c) => records.filter((r) => r.name === c.name)),
  ];
  for (const rec of ordered) {
    const wasAlive = isAlive(rec);
    await stopProcess(rec);
    if (wasAlive) log(`${rec.name} stopped (pid ${rec.pid})`);
  }
  for (const pid of guestPids(paths.vms)) {
    process.kill(pid, 'SIGKILL');
    log(`stray guest QEMU stopped (pid ${pid})`);
  }
}

function componentNamed(name: string | undefined): Component {
  const c = components.find((x) => x.name === name);
  if (!c) throw new Error(`usage: <stop|start|restart> <component>; components: ${components.map((x) => x.name).join(', ')}`);
  return c;
}

/** Stops one component and leaves the rest running: a fault the reliability suite injects (kube-apiserver). */
export async function stop(name?: string) {
  const c = componentNamed(name);
  const rec = readRecord(c.name);
  if (!rec) {
    log(`${c.name} was not running`);
    return;
  }
  await stopProcess(rec);
  log(`${c.name} stopped (pid ${rec.pid})`);
}

/** Starts one component again (as `up` does, waiting until it is healthy); the others must be up. */
export async function start(name?: string) {
  const c = componentNamed(name);
  const bin = binaries(log);
  const started = await startComponent(c, bin);
  // Back means back for the users too: ready, and accepting their ID tokens (initialised after readiness).
  if (c.name === 'kube-apiserver') await waitForOidc(bin);
  log(`${c.name} ${started ? 'started' : 'was already running'}`);
}

export async function restart(name?: string) {
  await stop(name);
  await start(name);
}

export async function status() {
  const running = components.filter((c) => isAlive(readRecord(c.name)));
  printStatus();
  process.exitCode = running.length === components.length ? 0 : 3;
}

export async function reset() {
  await down();
  if (existsSync(stateDir)) rmSync(stateDir, { recursive: true, force: true });
  log(`removed ${stateDir}`);
}

export async function token(user?: string) {
  if (!user) throw new Error('usage: npm run -s sandbox:token -- <user>');
  process.stdout.write((await passwordGrant(user)).idToken + '\n');
}

