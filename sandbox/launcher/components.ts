// The processes the sandbox runs, in start order, each with its command line and its health check.
import { join } from 'node:path';
import type { Binaries } from './build.ts';
import { configFiles } from './config-files.ts';
import { paths, ports, repoRoot, urls } from './paths.ts';
import { pki } from './pki.ts';
import { httpGet } from './http.ts';

export interface Component {
  name: string;
  command: (bin: Binaries) => string[];
  env?: NodeJS.ProcessEnv;
  healthy: () => Promise<boolean>;
  /** How long a cold start may take before `up` gives up. */
  startTimeoutMs: number;
}

const adminTls = () => ({ ca: pki.caCert, ...pki.cert('admin') });
const ok = async (url: string, tls?: Parameters<typeof httpGet>[1], body?: RegExp) => {
  try {
    const r = await httpGet(url, tls);
    return r.status === 200 && (!body || body.test(r.body));
  } catch {
    return false;
  }
};

export const serviceClusterIpRange = '10.96.0.0/16';

export const components: Component[] = [
  {
    name: 'etcd',
    command: (bin) => [
      bin.etcd,
      '--name=sandbox',
      `--data-dir=${paths.etcdData}`,
      `--listen-client-urls=http://127.0.0.1:${ports.etcdClient}`,
      `--advertise-client-urls=http://127.0.0.1:${ports.etcdClient}`,
      `--listen-peer-urls=http://127.0.0.1:${ports.etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${ports.etcdPeer}`,
      `--initial-cluster=sandbox=http://127.0.0.1:${ports.etcdPeer}`,
      // A throwaway sandbox: durability is not worth the fsync latency on a shared disk.
      '--unsafe-no-fsync=true',
      '--quota-backend-bytes=4294967296',
      '--log-level=warn',
    ],
    healthy: () => ok(`http://127.0.0.1:${ports.etcdClient}/health`, undefined, /"health":"true"/),
    startTimeoutMs: 30_000,
  },
  {
    name: 'dex',
    command: (bin) => [bin.dex, 'serve', configFiles.dex],
    healthy: () => ok(`${urls.dexIssuer}/.well-known/openid-configuration`, { ca: pki.caCert }),
    startTimeoutMs: 30_000,
  },
  {
    name: 'kube-apiserver',
    command: (bin) => [
      bin.kubeApiserver,
      `--etcd-servers=http://127.0.0.1:${ports.etcdClient}`,
      '--bind-address=127.0.0.1',
      // No default route here: without an explicit address the API server refuses to start, and the endpoint
      // reconciler rejects loopback addresses.
      '--advertise-address=127.0.0.1',
      '--endpoint-reconciler-type=none',
      `--secure-port=${ports.apiserver}`,
      `--tls-cert-file=${pki.cert('apiserver').cert}`,
      `--tls-private-key-file=${pki.cert('apiserver').key}`,
      `--client-ca-file=${pki.caCert}`,
      `--service-cluster-ip-range=${serviceClusterIpRange}`,
      '--allow-privileged=true',
      '--service-account-issuer=https://kubernetes.default.svc',
      `--service-account-key-file=${pki.saPub}`,
      `--service-account-signing-key-file=${pki.saKey}`,
      '--authorization-mode=Node,RBAC',
      `--authentication-config=${configFiles.authentication}`,
      '--enable-admission-plugins=NamespaceLifecycle,LimitRanger,ServiceAccount,DefaultStorageClass,' +
        'PersistentVolumeClaimResize,DefaultTolerationSeconds,StorageObjectInUseProtection,PodSecurity,' +
        'MutatingAdmissionWebhook,ValidatingAdmissionWebhook,ResourceQuota',
      // Aggregation layer, for virt-api's subresources.kubevirt.io.
      `--requestheader-client-ca-file=${pki.frontProxyCaCert}`,
      '--requestheader-allowed-names=front-proxy-client',
      '--requestheader-username-headers=X-Remote-User',
      '--requestheader-group-headers=X-Remote-Group',
      '--requestheader-extra-headers-prefix=X-Remote-Extra-',
      `--proxy-client-cert-file=${pki.cert('front-proxy-client').cert}`,
      `--proxy-client-key-file=${pki.cert('front-proxy-client').key}`,
      `--audit-policy-file=${configFiles.auditPolicy}`,
      `--audit-log-path=${join(paths.logs, 'audit.log')}`,
      '--audit-log-maxsize=100',
      '--audit-log-maxbackup=2',
      '--profiling=false',
      '--event-ttl=2h',
    ],
    healthy: () => ok(`${urls.apiserver}/readyz`, adminTls()),
    startTimeoutMs: 120_000,
  },
  {
    name: 'kube-controller-manager',
    command: (bin) => {
      const kc = configFiles.kubeconfig('controller-manager');
      return [
        bin.kubeControllerManager,
        `--kubeconfig=${kc}`,
        `--authentication-kubeconfig=${kc}`,
        `--authorization-kubeconfig=${kc}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${ports.controllerManager}`,
        '--leader-elect=false',
        '--use-service-account-credentials=true',
        `--service-account-private-key-file=${pki.saKey}`,
        `--root-ca-file=${pki.caCert}`,
        `--cluster-signing-cert-file=${pki.caCert}`,
        `--cluster-signing-key-file=${pki.caKey}`,
        `--service-cluster-ip-range=${serviceClusterIpRange}`,
        // Quota status and namespace deletion should feel immediate in a sandbox.
        '--resource-quota-sync-period=30s',
        '--concurrent-namespace-syncs=5',
        '--profiling=false',
      ];
    },
    healthy: () => ok(`https://127.0.0.1:${ports.controllerManager}/healthz`, { insecure: true }),
    startTimeoutMs: 60_000,
  },
  {
    name: 'kube-scheduler',
    command: (bin) => {
      const kc = configFiles.kubeconfig('scheduler');
      return [
        bin.kubeScheduler,
        `--kubeconfig=${kc}`,
        `--authentication-kubeconfig=${kc}`,
        `--authorization-kubeconfig=${kc}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${ports.scheduler}`,
        '--leader-elect=false',
        '--profiling=false',
      ];
    },
    healthy: () => ok(`https://127.0.0.1:${ports.scheduler}/healthz`, { insecure: true }),
    startTimeoutMs: 60_000,
  },
  {
    name: 'simulator',
    // Run node directly (not the tsx CLI, which forks a second process) so the pid file names the real process.
    command: () => [process.execPath, '--import', 'tsx', join(repoRoot, 'sandbox/simulator/main.ts')],
    env: { SANDBOX_KUBECONFIG: configFiles.kubeconfig('simulator') },
    healthy: () => ok(`http://127.0.0.1:${ports.simulatorHealth}/healthz`),
    startTimeoutMs: 60_000,
  },
];
