// Builds the sandbox's Go binaries from upstream modules (Kubernetes control plane + etcd, and Dex), once per
// machine: the output folder is named by a hash of everything that goes into the build, so an unchanged tree
// reuses the binaries and any change to a go.mod, a main package or the flags builds afresh.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { cacheDir, sandboxSrc, versions } from './paths.ts';

interface GoBuild {
  name: string;
  moduleDir: string;
  /** Package patterns to build; each main package becomes one binary named after its last path element. */
  packages: string[];
  binaries: string[];
  ldflags: string;
  cgo: boolean;
}

const k8sMinor = versions.kubernetes.split('.')[1];
const versionLdflags = [
  '-s -w',
  `-X k8s.io/component-base/version.gitVersion=${versions.kubernetes}`,
  '-X k8s.io/component-base/version.gitMajor=1',
  `-X k8s.io/component-base/version.gitMinor=${k8sMinor}`,
  '-X k8s.io/component-base/version.gitTreeState=clean',
  // client-go's copy is what kubectl prints as its own client version.
  `-X k8s.io/client-go/pkg/version.gitVersion=${versions.kubernetes}`,
  '-X k8s.io/client-go/pkg/version.gitMajor=1',
  `-X k8s.io/client-go/pkg/version.gitMinor=${k8sMinor}`,
].join(' ');

export const goBuilds: GoBuild[] = [
  {
    name: 'controlplane',
    moduleDir: join(sandboxSrc, 'controlplane'),
    packages: ['./cmd/...'],
    binaries: ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl'],
    ldflags: versionLdflags,
    cgo: false,
  },
  {
    name: 'dex',
    moduleDir: join(sandboxSrc, 'dex'),
    packages: ['github.com/dexidp/dex/cmd/dex'],
    binaries: ['dex'],
    ldflags: '-s -w',
    // SQLite storage needs cgo; it keeps Dex's signing keys (and refresh tokens) across restarts.
    cgo: true,
  },
];

/**
 * Helm, for the deployment chart's tests and `npm run helm` (kept out of goBuilds: the sandbox itself never needs it).
 * The version ldflag is what `helm version` prints; without it Helm reports a development build.
 */
const helmBuild: GoBuild = {
  name: 'helm',
  moduleDir: join(sandboxSrc, 'helm'),
  packages: ['helm.sh/helm/v3/cmd/helm'],
  binaries: ['helm'],
  ldflags: helmLdflags(),
  cgo: false,
};

// As Helm's own Makefile stamps them: besides its version, the Kubernetes version it assumes when not talking to a
// cluster (`helm template`, `helm lint`), taken from the client-go it is built with. Unstamped it assumes 1.20 and
// refuses charts that need a newer one.
function helmLdflags(): string {
  const goMod = readFileSync(join(sandboxSrc, 'helm', 'go.mod'), 'utf8');
  const minor = /^\s*k8s\.io\/client-go v0\.(\d+)\./m.exec(goMod)?.[1];
  if (!minor) throw new Error('sandbox/helm/go.mod names no k8s.io/client-go v0.x version');
  const flags = ['-s -w', `-X helm.sh/helm/v3/internal/version.version=${versions.helm}`];
  for (const pkg of ['helm.sh/helm/v3/pkg/chartutil', 'helm.sh/helm/v3/pkg/lint/rules']) {
    flags.push(`-X ${pkg}.k8sVersionMajor=1`, `-X ${pkg}.k8sVersionMinor=${minor}`);
  }
  return flags.join(' ');
}

/** Path of the Helm binary, built on first use. */
export function helmBinary(log: (s: string) => void = () => {}): string {
  return join(ensureBuilt(helmBuild, log), 'helm');
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out.sort();
}

function buildKey(b: GoBuild): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ packages: b.packages, ldflags: b.ldflags, cgo: b.cgo, go: goVersion() }));
  for (const f of filesUnder(b.moduleDir)) {
    h.update(relative(b.moduleDir, f));
    h.update(readFileSync(f));
  }
  return h.digest('hex').slice(0, 16);
}

let cachedGoVersion: string | undefined;
function goVersion(): string {
  cachedGoVersion ??= spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' }).stdout.trim();
  return cachedGoVersion;
}

export function binDir(b: GoBuild): string {
  return join(cacheDir, 'bin', `${b.name}-${buildKey(b)}`);
}

export function isBuilt(b: GoBuild): boolean {
  const dir = binDir(b);
  return b.binaries.every((bin) => existsSync(join(dir, bin)));
}

/** Builds into a temporary folder and renames it into place, so an interrupted build never looks finished. */
export function ensureBuilt(b: GoBuild, log: (s: string) => void): string {
  const dir = binDir(b);
  if (isBuilt(b)) return dir;
  const tmp = `${dir}.partial`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  log(`building ${b.name} (${b.binaries.join(', ')}); the first build takes a while…`);
  const started = Date.now();
  const res = spawnSync('go', ['build', '-trimpath', '-o', tmp + '/', '-ldflags', b.ldflags, ...b.packages], {
    cwd: b.moduleDir,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      GOWORK: 'off',
      GOFLAGS: '-mod=mod',
      CGO_ENABLED: b.cgo ? '1' : '0',
    },
  });
  if (res.status !== 0) throw new Error(`go build of ${b.name} failed (exit ${res.status})`);
  for (const bin of b.binaries) {
    if (!existsSync(join(tmp, bin))) throw new Error(`go build of ${b.name} did not produce ${bin}`);
  }
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  log(`built ${b.name} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return dir;
}

export function binaries(log: (s: string) => void = () => {}) {
  const [cp, dex] = goBuilds.map((b) => ensureBuilt(b, log));
  return {
    etcd: join(cp!, 'etcd'),
    kubeApiserver: join(cp!, 'kube-apiserver'),
    kubeControllerManager: join(cp!, 'kube-controller-manager'),
    kubeScheduler: join(cp!, 'kube-scheduler'),
    kubectl: join(cp!, 'kubectl'),
    dex: join(dex!, 'dex'),
  };
}
export type Binaries = ReturnType<typeof binaries>;
