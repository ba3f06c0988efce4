// What the integration tests share: kubectl as the admin or as a sandbox user, tokens, and polling.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { binaries } from '../launcher/build.ts';
import { paths } from '../launcher/paths.ts';
import { guestPids } from '../launcher/procs.ts';

export { docExampleVm, vmManifest } from './vm-manifests.ts';
import { passwordGrant } from '../launcher/token.ts';

export const bin = binaries();

export interface KubectlResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** kubectl as the sandbox admin, or as `as` (a sandbox user name, or a raw bearer token with `token:`). */
export async function kubectl(args: string[], opts: { as?: string; token?: string; input?: string } = {}): Promise<KubectlResult> {
  const token = opts.token ?? (opts.as ? await tokenFor(opts.as) : undefined);
  const auth = token ? ['--context', 'sandbox-oidc', '--token', token] : [];
  const res = spawnSync(bin.kubectl, ['--kubeconfig', paths.adminKubeconfig, ...auth, ...args], {
    input: opts.input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}

/** Like kubectl, but throws with kubectl's stderr when it fails. */
export async function kubectlOk(args: string[], opts: { as?: string; input?: string } = {}): Promise<string> {
  const r = await kubectl(args, opts);
  if (r.status !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

const tokens = new Map<string, { token: string; until: number }>();
export async function tokenFor(user: string): Promise<string> {
  const cached = tokens.get(user);
  if (cached && cached.until > Date.now()) return cached.token;
  const t = await passwordGrant(user);
  tokens.set(user, { token: t.idToken, until: Date.now() + (t.expiresIn - 60) * 1000 });
  return t.idToken;
}

export const uniqueName = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

export async function eventually<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 30_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v as T;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}



// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function getJson<T = any>(args: string[]): Promise<T | undefined> {
  const r = await kubectl(['get', ...args, '-o', 'json']);
  return r.status === 0 ? (JSON.parse(r.stdout) as T) : undefined;
}

export async function waitForPrintableStatus(ns: string, name: string, want: string | RegExp, timeoutMs = 30_000): Promise<any> {
  return eventually(
    `VM ${ns}/${name} to be ${want}`,
    async () => {
      const vm = await getJson(['vm', name, '-n', ns]);
      const s = vm?.status?.printableStatus ?? '';
      return (typeof want === 'string' ? s === want : want.test(s)) && vm;
    },
    timeoutMs,
    200,
  );
}

/** A PersistentVolumeClaim (Filesystem) made as the admin; returns its generated name. */
export async function createClaim(ns: string, storageClassName: string, accessModes: string[], size = '1Gi'): Promise<string> {
  const name = uniqueName('disk');
  const claim = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: ns },
    spec: { storageClassName, accessModes, volumeMode: 'Filesystem', resources: { requests: { storage: size } } },
  };
  await kubectlOk(['create', '-f', '-'], { input: JSON.stringify(claim) });
  return name;
}

/** The QEMU processes running VMs of this sandbox, optionally only those whose name starts with `<ns>_<name>`. */
export const qemuPids = (filter = ''): number[] => guestPids(paths.vms, filter);
