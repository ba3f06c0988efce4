import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { docExampleVm } from '../../sandbox/test/vm-manifests.ts';

// Test fixtures made with kubectl as the sandbox's cluster admin, the way a person would change the cluster behind
// the portal's back.

const kubeconfig = resolve(process.env.SANDBOX_STATE_DIR ?? '.sandbox', 'kubeconfig');

function kubectlPath(): string {
  if (process.env.KUBECTL) return process.env.KUBECTL;
  // The sandbox builds kubectl with its control plane; ask its launcher where (as its own docs say).
  const r = spawnSync('npx', ['tsx', '-e', "import('./sandbox/launcher/build.ts').then(m=>console.log(m.binaries().kubectl))"], { encoding: 'utf8' });
  const path = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status === 0 && existsSync(path)) return path;
  const dir = join(homedir(), '.cache/kubevirt-portal-sandbox/bin');
  for (const d of existsSync(dir) ? readdirSync(dir) : []) if (existsSync(join(dir, d, 'kubectl'))) return join(dir, d, 'kubectl');
  throw new Error('kubectl of the sandbox not found; is the sandbox built (npm run sandbox:up)?');
}

let cached: string | undefined;

export function kubectl(args: string[], input?: string): { status: number; stdout: string; stderr: string } {
  cached ??= kubectlPath();
  const r = spawnSync(cached, ['--kubeconfig', kubeconfig, '--context', 'sandbox', ...args], { input, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/** kubectl's output, or an error with its stderr. */
export function kubectlOk(args: string[], input?: string): string {
  const r = kubectl(args, input);
  if (r.status !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** kubectl without blocking the process, for fixtures made by several at once (a benchmark's thousands of VMs). */
export function kubectlAsync(args: string[], input?: string, timeoutMs = 300_000): Promise<{ status: number; stdout: string; stderr: string }> {
  cached ??= kubectlPath();
  return new Promise((done) => {
    const child = spawn(cached!, ['--kubeconfig', kubeconfig, '--context', 'sandbox', ...args], { timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (err) => done({ status: 1, stdout, stderr: stderr + err.message }));
    child.on('close', (code) => done({ status: code ?? 1, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e4).toString(36)}`;
}

/** A namespace the e2e cleanup knows (label portal-e2e) where `user` may edit, as a team's namespace is: apply them. */
export function editableNamespaceDocs(ns: string, user: string): object[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'portal-e2e': 'true' } } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: `${user}-edit`, namespace: ns },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
    },
  ];
}

export function vmManifest(name: string, namespace: string, runStrategy: string, labels: Record<string, string> = {}) {
  const vm = docExampleVm(name, namespace, runStrategy);
  vm.metadata.labels = { ...vm.metadata.labels, 'portal-e2e': 'true', ...labels };
  return vm;
}

export function createVm(name: string, namespace: string, runStrategy = 'Halted', labels: Record<string, string> = {}): void {
  const r = kubectl(['create', '-f', '-'], JSON.stringify(vmManifest(name, namespace, runStrategy, labels)));
  if (r.status !== 0) throw new Error(`kubectl create ${namespace}/${name}: ${r.stderr}`);
}

export function deleteVm(name: string, namespace: string, wait = false): void {
  kubectl(['delete', 'vm', name, '-n', namespace, '--ignore-not-found', `--wait=${wait}`]);
}

export function vmStatus(name: string, namespace: string): string {
  return kubectl(['get', 'vm', name, '-n', namespace, '-o', 'jsonpath={.status.printableStatus}']).stdout;
}

export async function waitForStatus(name: string, namespace: string, want: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (vmStatus(name, namespace) === want) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${namespace}/${name} did not become ${want} (is ${vmStatus(name, namespace)})`);
}
