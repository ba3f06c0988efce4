// The sandbox's PKI, made with the openssl command line: a cluster CA (serving and client certificates), a separate
// front-proxy CA for the aggregation layer (Kubernetes warns against reusing the client CA), and the service-account
// signing key. Generated once; `sandbox:reset` wipes it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { paths } from './paths.ts';

const p = (name: string) => join(paths.pki, name);

export const pki = {
  caCert: p('ca.crt'),
  caKey: p('ca.key'),
  frontProxyCaCert: p('front-proxy-ca.crt'),
  frontProxyCaKey: p('front-proxy-ca.key'),
  saKey: p('sa.key'),
  saPub: p('sa.pub'),
  cert: (name: string) => ({ cert: p(`${name}.crt`), key: p(`${name}.key`) }),
};

interface CertSpec {
  name: string;
  cn: string;
  org?: string[];
  ca: 'cluster' | 'front-proxy';
  usage: 'server' | 'client' | 'both';
  dnsNames?: string[];
  ips?: string[];
}

/** Every certificate the sandbox uses; the names are the file stems under .sandbox/pki. */
export const certSpecs: CertSpec[] = [
  {
    name: 'apiserver',
    cn: 'kube-apiserver',
    ca: 'cluster',
    usage: 'server',
    dnsNames: ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'],
    ips: ['127.0.0.1', '10.96.0.1'],
  },
  { name: 'admin', cn: 'sandbox-admin', org: ['system:masters'], ca: 'cluster', usage: 'client' },
  { name: 'controller-manager', cn: 'system:kube-controller-manager', ca: 'cluster', usage: 'client' },
  { name: 'scheduler', cn: 'system:kube-scheduler', ca: 'cluster', usage: 'client' },
  // The simulator plays virt-controller, virt-handler, kubelets and CSI drivers at once; it acts with cluster-wide rights.
  { name: 'simulator', cn: 'system:kubevirt-simulator', org: ['system:masters'], ca: 'cluster', usage: 'client' },
  { name: 'dex', cn: 'dex', ca: 'cluster', usage: 'server', dnsNames: ['localhost'], ips: ['127.0.0.1'] },
  {
    name: 'virt-api',
    cn: 'virt-api',
    ca: 'cluster',
    usage: 'server',
    // The aggregator dials <service>.<namespace>.svc with the APIService's caBundle.
    dnsNames: ['virt-api.kubevirt.svc', 'virt-api.kubevirt.svc.cluster.local', 'localhost'],
    ips: ['127.0.0.1'],
  },
  { name: 'front-proxy-client', cn: 'front-proxy-client', ca: 'front-proxy', usage: 'client' },
];

function openssl(args: string[]) {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

function makeCa(cert: string, key: string, cn: string) {
  if (existsSync(cert) && existsSync(key)) return;
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', key]);
  openssl(['req', '-x509', '-new', '-key', key, '-sha256', '-days', '3650', '-subj', `/CN=${cn}`, '-out', cert,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature']);
}

function makeCert(spec: CertSpec) {
  const { cert, key } = pki.cert(spec.name);
  if (existsSync(cert) && existsSync(key)) return;
  const [caCert, caKey] = spec.ca === 'cluster' ? [pki.caCert, pki.caKey] : [pki.frontProxyCaCert, pki.frontProxyCaKey];
  const csr = p(`${spec.name}.csr`);
  const ext = p(`${spec.name}.ext`);
  const subj = `/CN=${spec.cn}` + (spec.org ?? []).map((o) => `/O=${o}`).join('');
  const eku = { server: 'serverAuth', client: 'clientAuth', both: 'serverAuth,clientAuth' }[spec.usage];
  const sans = [...(spec.dnsNames ?? []).map((d) => `DNS:${d}`), ...(spec.ips ?? []).map((i) => `IP:${i}`)];
  writeFileSync(
    ext,
    [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      `extendedKeyUsage=${eku}`,
      ...(sans.length ? [`subjectAltName=${sans.join(',')}`] : []),
    ].join('\n') + '\n',
  );
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', key]);
  openssl(['req', '-new', '-key', key, '-subj', subj, '-out', csr]);
  openssl(['x509', '-req', '-in', csr, '-CA', caCert, '-CAkey', caKey, '-CAcreateserial', '-days', '3650', '-sha256',
    '-extfile', ext, '-out', cert]);
}

export function ensurePki() {
  mkdirSync(paths.pki, { recursive: true, mode: 0o700 });
  makeCa(pki.caCert, pki.caKey, 'sandbox-cluster-ca');
  makeCa(pki.frontProxyCaCert, pki.frontProxyCaKey, 'sandbox-front-proxy-ca');
  if (!existsSync(pki.saKey)) {
    openssl(['genrsa', '-out', pki.saKey, '2048']);
    openssl(['rsa', '-in', pki.saKey, '-pubout', '-out', pki.saPub]);
  }
  for (const spec of certSpecs) makeCert(spec);
}
