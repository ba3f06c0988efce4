// The Helm chart (deploy/chart) with Helm itself: it lints, renders what a cluster operator expects (two non-root
// replicas on a read-only root filesystem, probes, resources, a disruption budget, the least RBAC of each identity
// mode), refuses to render without its secrets, and the sandbox's API server accepts a server-side dry run of it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectl, kubectlOk, uniqueName } from '../../sandbox/test/helpers.ts';
import { chartDir, ofKind, one, render, requiredValues, runHelm, template, type K8sObject } from '../support/chart';

interface Container {
  name: string;
  securityContext: Record<string, unknown>;
  livenessProbe: { httpGet: { path: string; port: string } };
  readinessProbe: { httpGet: { path: string; port: string } };
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  envFrom: { configMapRef: { name: string } }[];
  env: { name: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }[];
  volumeMounts: { name: string; mountPath: string }[];
  ports: { name: string; containerPort: number }[];
}
const podSpec = (d: K8sObject) => (d.spec as { template: { spec: Record<string, unknown> } }).template.spec;
const container = (d: K8sObject) => (podSpec(d).containers as Container[])[0]!;
const data = (objects: K8sObject[], name: string) => objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name)!.data as Record<string, string>;
const rulesOf = (o: K8sObject) => o.rules as { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] }[];

describe('helm lint', () => {
  it('passes for the chart with the values every installation gives', () => {
    const r = runHelm(['lint', chartDir, '--strict', '--set', `publicUrl=${requiredValues.publicUrl}`, '--set', `oidc.issuer=${requiredValues.oidc.issuer}`, '--set', 'oidc.clientId=portal', '--set', 'oidc.existingSecret=portal-oidc', '--set', 'session.existingSecret=portal-session']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
  });
});

describe('helm template with the default values', () => {
  const { objects } = render(requiredValues);
  const deployment = one(objects, 'Deployment');

  it('runs two replicas as a non-root user on a read-only root filesystem, with no capabilities', () => {
    expect((deployment.spec as { replicas: number }).replicas).toBe(2);
    expect(podSpec(deployment).securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container(deployment).securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
  });

  it('writes only to emptyDirs: the state directory, /tmp and Next’s cache', () => {
    const mounts = Object.fromEntries(container(deployment).volumeMounts.map((m) => [m.name, m.mountPath]));
    expect(mounts).toEqual({ state: '/var/lib/kubevirt-portal', tmp: '/tmp', 'next-cache': '/app/.next/cache' });
    const volumes = podSpec(deployment).volumes as { name: string; emptyDir?: object }[];
    expect(volumes.every((v) => v.emptyDir)).toBe(true);
    expect(data(objects, 'portal-kubevirt-portal').PORTAL_STATE_DIR).toBe('/var/lib/kubevirt-portal');
  });

  it('has liveness and readiness probes, requests and limits, and a metrics port', () => {
    const c = container(deployment);
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(Object.keys(c.resources.requests).sort()).toEqual(['cpu', 'memory']);
    expect(Object.keys(c.resources.limits).sort()).toEqual(['cpu', 'memory']);
    expect(c.ports).toEqual([
      { name: 'http', containerPort: 3000, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9464, protocol: 'TCP' },
    ]);
    expect(deployment.spec).toMatchObject({ template: { metadata: { annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9464' } } } });
  });

  it('takes its settings from a ConfigMap and its two secrets from a Secret', () => {
    const c = container(deployment);
    expect(c.envFrom).toEqual([{ configMapRef: { name: 'portal-kubevirt-portal' } }]);
    const settings = data(objects, 'portal-kubevirt-portal');
    expect(settings).toMatchObject({
      PORTAL_AUTH_MODE: 'token',
      NEXTAUTH_URL: requiredValues.publicUrl,
      OIDC_ISSUER: requiredValues.oidc.issuer,
      K8S_API_SERVER: 'https://kubernetes.default.svc',
      PORTAL_SERVICE_ACCOUNT_TOKEN_FILE: '/var/run/secrets/kubernetes.io/serviceaccount/token',
      PORTAL_METRICS_PORT: '9464',
      PORTAL_SESSION_STORE: 'kubernetes',
      PORTAL_SESSION_STORE_NAMESPACE: 'portal',
      PORTAL_SESSION_STORE_NAME: 'portal-kubevirt-portal-sessions',
    });
    expect(JSON.stringify(settings)).not.toContain(requiredValues.session.secret);
    const secretEnv = Object.fromEntries(c.env.filter((e) => e.valueFrom).map((e) => [e.name, e.valueFrom!.secretKeyRef]));
    expect(secretEnv).toEqual({
      OIDC_CLIENT_SECRET: { name: 'portal-kubevirt-portal', key: 'oidc-client-secret' },
      NEXTAUTH_SECRET: { name: 'portal-kubevirt-portal', key: 'session-secret' },
    });
    const secret = one(objects, 'Secret').data as Record<string, string>;
    expect(Buffer.from(secret['session-secret']!, 'base64').toString()).toBe(requiredValues.session.secret);
  });

  it('keeps a replica up through voluntary disruptions and spreads replicas softly', () => {
    expect(one(objects, 'PodDisruptionBudget').spec).toMatchObject({ minAvailable: 1 });
    const spread = podSpec(deployment).topologySpreadConstraints as { whenUnsatisfiable: string }[];
    expect(spread.length).toBeGreaterThan(0);
    expect(spread.every((s) => s.whenUnsatisfiable === 'ScheduleAnyway')).toBe(true);
    expect(podSpec(deployment).affinity).toHaveProperty('podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution');
  });

  it('grants token mode no cluster role, only the session store’s ConfigMap in its own namespace', () => {
    expect(ofKind(objects, 'ClusterRole')).toEqual([]);
    expect(ofKind(objects, 'ClusterRoleBinding')).toEqual([]);
    const role = one(objects, 'Role');
    expect(role.metadata.namespace).toBe('portal');
    expect(rulesOf(role)).toEqual([
      { apiGroups: [''], resources: ['configmaps'], resourceNames: ['portal-kubevirt-portal-sessions'], verbs: ['get', 'list', 'watch', 'update', 'patch'] },
      { apiGroups: [''], resources: ['configmaps'], verbs: ['create'] },
    ]);
    expect(one(objects, 'RoleBinding').subjects).toEqual([{ kind: 'ServiceAccount', name: 'portal-kubevirt-portal', namespace: 'portal' }]);
  });

  it('creates no Ingress unless asked', () => {
    expect(ofKind(objects, 'Ingress')).toEqual([]);
    expect(one(objects, 'Service').spec).toMatchObject({ type: 'ClusterIP' });
  });
});

describe('helm template in impersonation mode', () => {
  const { objects } = render({ ...requiredValues, auth: { mode: 'impersonate' } });

  it('grants exactly impersonate on users and groups, to the portal’s service account', () => {
    const roles = ofKind(objects, 'ClusterRole');
    expect(roles).toHaveLength(1);
    expect(rulesOf(roles[0]!)).toEqual([{ apiGroups: [''], resources: ['users', 'groups'], verbs: ['impersonate'] }]);
    const binding = one(objects, 'ClusterRoleBinding');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roles[0]!.metadata.name });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: one(objects, 'ServiceAccount').metadata.name, namespace: 'portal' }]);
    expect(data(objects, 'portal-kubevirt-portal').PORTAL_AUTH_MODE).toBe('impersonate');
  });
});

describe('helm template refuses', () => {
  const failure = (values: object) => {
    const r = template(values);
    expect(r.status).not.toBe(0);
    return r.stderr;
  };

  it('a release without the session secret or the OIDC client secret, saying which value to give', () => {
    expect(failure({ ...requiredValues, session: {} })).toMatch(/session\.existingSecret.*session\.secret/);
    expect(failure({ ...requiredValues, oidc: { ...requiredValues.oidc, clientSecret: '' } })).toMatch(/oidc\.existingSecret.*oidc\.clientSecret/);
    expect(failure({ ...requiredValues, session: { secret: 'x', existingSecret: 'y' } })).toMatch(/not both/);
  });

  it('a release without its public URL or issuer, and the kubeconfig mode', () => {
    expect(failure({ ...requiredValues, publicUrl: '' })).toMatch(/publicUrl/);
    expect(failure({ ...requiredValues, oidc: { ...requiredValues.oidc, issuer: '' } })).toMatch(/oidc\.issuer/);
    expect(failure({ ...requiredValues, auth: { mode: 'kubeconfig' } })).toMatch(/auth\.mode/);
  });
});

describe('helm template options', () => {
  it('uses existing Secrets when named, and drops the disruption budget for one replica', () => {
    const { objects } = render({ ...requiredValues, replicaCount: 1, oidc: { ...requiredValues.oidc, clientSecret: '', existingSecret: 'idp', existingSecretKey: 'secret' }, session: { existingSecret: 'cookies' } });
    expect(ofKind(objects, 'Secret')).toEqual([]);
    expect(ofKind(objects, 'PodDisruptionBudget')).toEqual([]);
    const env = container(one(objects, 'Deployment')).env;
    expect(env.find((e) => e.name === 'OIDC_CLIENT_SECRET')?.valueFrom?.secretKeyRef).toEqual({ name: 'idp', key: 'secret' });
    expect(env.find((e) => e.name === 'NEXTAUTH_SECRET')?.valueFrom?.secretKeyRef).toEqual({ name: 'cookies', key: 'session-secret' });
  });

  it('keeps console websockets and streams open through ingress-nginx', () => {
    const { objects } = render({ ...requiredValues, ingress: { enabled: true, className: 'nginx', hosts: ['vms.example.com'], tls: [{ secretName: 'vms-tls', hosts: ['vms.example.com'] }] } });
    const ingress = one(objects, 'Ingress');
    expect(ingress.metadata.annotations).toMatchObject({
      'nginx.ingress.kubernetes.io/proxy-read-timeout': '3600',
      'nginx.ingress.kubernetes.io/proxy-send-timeout': '3600',
      'nginx.ingress.kubernetes.io/proxy-buffering': 'off',
    });
    expect(ingress.spec).toMatchObject({ ingressClassName: 'nginx', rules: [{ host: 'vms.example.com' }] });
  });

  it('mounts the identity provider’s CA bundle and points OIDC_CA_FILE at it', () => {
    const { objects } = render({ ...requiredValues, oidc: { ...requiredValues.oidc, caBundle: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----' } });
    expect(data(objects, 'portal-kubevirt-portal-oidc-ca')['ca.crt']).toContain('BEGIN CERTIFICATE');
    expect(data(objects, 'portal-kubevirt-portal').OIDC_CA_FILE).toBe('/etc/kubevirt-portal/oidc-ca/ca.crt');
    expect(container(one(objects, 'Deployment')).volumeMounts).toContainEqual(expect.objectContaining({ name: 'oidc-ca', mountPath: '/etc/kubevirt-portal/oidc-ca' }));
  });
});

describe('a server-side dry run on the sandbox', () => {
  const namespace = uniqueName('chart-dry-run');
  beforeAll(async () => {
    await kubectlOk(['create', 'namespace', namespace]);
  });
  afterAll(async () => {
    await kubectl(['delete', 'namespace', namespace, '--wait=false']);
  });

  it.each([
    ['token mode', {}],
    ['impersonation mode with an Ingress', { auth: { mode: 'impersonate' }, ingress: { enabled: true, hosts: ['vms.example.com'] }, rbac: { discoverNamespaces: true } }],
  ])('is accepted in %s', async (_what, extra) => {
    const { yaml, objects } = render({ ...requiredValues, ...extra }, { namespace, release: 'dry' });
    const r = await kubectl(['apply', '--dry-run=server', '-n', namespace, '-f', '-'], { input: yaml });
    expect(r.status, r.stderr).toBe(0);
    // One line per object, each created (dry run) rather than refused or skipped.
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(objects.length);
    expect(lines.every((l) => /created \(server dry run\)$/.test(l))).toBe(true);
  });
});
