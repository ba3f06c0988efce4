// What the integration tests share: kubectl as the admin or as a sandbox user, tokens, and polling.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { binaries } from '../launcher/build.ts';
import { paths } from '../launcher/paths.ts';
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

/** A minimal VirtualMachine in KubeVirt's documented shape. */
export function vmManifest(name: string, namespace: string, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachine',
    metadata: { name, namespace },
    spec: {
      runStrategy: 'Halted',
      template: {
        metadata: { labels: { 'kubevirt.io/vm': name } },
        spec: {
          domain: {
            devices: { disks: [{ name: 'containerdisk', disk: { bus: 'virtio' } }] },
            resources: { requests: { memory: '128Mi' } },
          },
          volumes: [{ name: 'containerdisk', containerDisk: { image: 'quay.io/containerdisks/tinylinux:1.0' } }],
        },
      },
      ...extra,
    },
  };
}

/** KubeVirt's documentation example in shape: a container-disk VM with a cloud-init disk and the pod network. */
export function docExampleVm(name: string, namespace: string, runStrategy = 'Always', userData = '#cloud-config\nhostname: ' + name + '\n') {
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachine',
    metadata: { name, namespace, labels: { 'kubevirt.io/os': 'linux' } },
    spec: {
      runStrategy,
      template: {
        metadata: { labels: { 'kubevirt.io/size': 'small', 'kubevirt.io/domain': name } },
        spec: {
          domain: {
            cpu: { cores: 1 },
            devices: {
              disks: [
                { name: 'containerdisk', disk: { bus: 'virtio' } },
                { name: 'cloudinitdisk', disk: { bus: 'virtio' } },
              ],
              interfaces: [{ name: 'default', masquerade: {} }],
            },
            resources: { requests: { memory: '128Mi' } },
          },
          networks: [{ name: 'default', pod: {} }],
          volumes: [
            { name: 'containerdisk', containerDisk: { image: 'quay.io/containerdisks/tinylinux:1.0' } },
            { name: 'cloudinitdisk', cloudInitNoCloud: { userData } },
          ],
        },
      },
    },
  };
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

/** The QEMU processes running VMs of this sandbox (their command line names namespace_name and the state dir). */
export function qemuPids(filter = ''): number[] {
  const r = spawnSync('pgrep', ['-af', `qemu-system-x86_64 -name ${filter}`], { encoding: 'utf8' });
  return r.stdout
    .split('\n')
    .filter((l) => l.includes(paths.vms))
    .map((l) => Number(l.split(' ')[0]));
}
