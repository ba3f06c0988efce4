// Helm over deploy/chart for the tests: Helm itself (built from its Go module into the sandbox's binary cache on first
// use, sandbox/helm/go.mod), rendering with given values, and the rendered objects parsed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { helmBinary } from '../../sandbox/launcher/build.ts';
import { repoRoot } from './dockerfile';

export const chartDir = join(repoRoot, 'deploy/chart');

export interface HelmResult {
  status: number;
  stdout: string;
  stderr: string;
}

let helm: string | undefined;

export function runHelm(args: string[]): HelmResult {
  helm ??= helmBinary((s) => process.stderr.write(`helm: ${s}\n`));
  // No Helm home of the user's: repositories, plugins and caches are not needed to render a local chart.
  const home = mkdtempSync(join(tmpdir(), 'portal-helm-'));
  try {
    const r = spawnSync(helm, args, {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, HELM_CACHE_HOME: join(home, 'cache'), HELM_CONFIG_HOME: join(home, 'config'), HELM_DATA_HOME: join(home, 'data') },
    });
    return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** Values that render: what every installation must give (the rest has defaults). */
export const requiredValues = {
  publicUrl: 'https://vms.example.com',
  oidc: { issuer: 'https://login.example.com/realms/staff', clientId: 'kubevirt-portal', clientSecret: 'client-secret' },
  session: { secret: 'session-secret-of-at-least-32-characters' },
};

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

/** `helm template` with these values (a values file, so nested values keep their types). */
export function template(values: object, opts: { release?: string; namespace?: string } = {}): HelmResult {
  const dir = mkdtempSync(join(tmpdir(), 'portal-values-'));
  try {
    const file = join(dir, 'values.yaml');
    writeFileSync(file, YAML.stringify(values));
    return runHelm(['template', opts.release ?? 'portal', chartDir, '--namespace', opts.namespace ?? 'portal', '--values', file]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The rendered objects, or an error with Helm's message. */
export function render(values: object, opts: { release?: string; namespace?: string } = {}): { yaml: string; objects: K8sObject[] } {
  const r = template(values, opts);
  if (r.status !== 0) throw new Error(`helm template failed: ${r.stderr}`);
  const objects = YAML.parseAllDocuments(r.stdout)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
  return { yaml: r.stdout, objects };
}

export const ofKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);
export const one = (objects: K8sObject[], kind: string): K8sObject => {
  const found = ofKind(objects, kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, rendered ${found.length}`);
  return found[0]!;
};
