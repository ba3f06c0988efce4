// Where the sandbox keeps things. State (PKI, etcd data, logs, pids) lives in .sandbox/ in the work tree and is
// wiped by `sandbox:reset`; built binaries live in a per-machine cache outside the tree, keyed by a hash of their
// inputs, so a fresh clone on the same machine (CI) reuses them instead of rebuilding Kubernetes.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const sandboxSrc = join(repoRoot, 'sandbox');
export const stateDir = process.env.SANDBOX_STATE_DIR ?? join(repoRoot, '.sandbox');
export const cacheDir =
  process.env.SANDBOX_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'kubevirt-portal-sandbox');

export const paths = {
  pki: join(stateDir, 'pki'),
  logs: join(stateDir, 'logs'),
  pids: join(stateDir, 'pids'),
  etcdData: join(stateDir, 'etcd'),
  config: join(stateDir, 'config'),
  adminKubeconfig: join(stateDir, 'kubeconfig'),
  volumes: join(stateDir, 'volumes'),
  vms: join(stateDir, 'vms'),
};

/**
 * Loopback ports, fixed so that tests and the portal have stable URLs. SANDBOX_PORT_OFFSET shifts them all, for a
 * second sandbox on the same machine (a CI run from another clone while a developer's sandbox is up).
 */
const portOffset = Number(process.env.SANDBOX_PORT_OFFSET ?? 0);
export const ports = Object.fromEntries(
  Object.entries({
    etcdClient: 2379,
    etcdPeer: 2380,
    apiserver: 6443,
    dex: 5556,
    controllerManager: 10257,
    scheduler: 10259,
    virtApi: 8443,
    simulatorHealth: 8444,
    // UDP: the multicast wires of the secondary networks (one group per L2 segment, all on this port).
    networkFabric: 8445,
  }).map(([k, v]) => [k, v + portOffset]),
) as Record<'etcdClient' | 'etcdPeer' | 'apiserver' | 'dex' | 'controllerManager' | 'scheduler' | 'virtApi' | 'simulatorHealth' | 'networkFabric', number>;

export const urls = {
  apiserver: `https://127.0.0.1:${ports.apiserver}`,
  dexIssuer: `https://127.0.0.1:${ports.dex}/dex`,
};

/** Versions the sandbox builds and claims; the build stamps them into the binaries. */
export const versions = {
  kubernetes: 'v1.34.4',
  kubevirt: 'v1.6.0',
  cdi: 'v1.62.0',
  // Must match the helm.sh/helm/v3 version in sandbox/helm/go.mod (it is only what `helm version` prints).
  helm: 'v3.22.0',
};
