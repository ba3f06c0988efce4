import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSettings, SettingsError, type Settings } from './index';

const ok = (env: Record<string, string>, argv: string[] = []): Settings => {
  const r = parseSettings(env, argv);
  if (!r.ok) throw new SettingsError(r.problems);
  return r.settings;
};
const problems = (env: Record<string, string>, argv: string[] = []) => {
  const r = parseSettings(env, argv);
  return r.ok ? [] : r.problems;
};
const variables = (env: Record<string, string>) => problems(env).map((p) => p.variable);

const dir = mkdtempSync(join(tmpdir(), 'portal-settings-test-'));
const file = join(dir, 'ca.crt');
writeFileSync(file, 'x');
const production = { K8S_API_SERVER: 'https://k8s.example:6443', OIDC_ISSUER: 'https://login.example/realms/x', OIDC_CLIENT_ID: 'portal', OIDC_CLIENT_SECRET: 's3cret' };

describe('sandbox mode', () => {
  it('is PORTAL_SANDBOX=true or next dev, and gives the sandbox as every default', () => {
    for (const s of [ok({ PORTAL_SANDBOX: 'true' }), ok({}, ['--dev']), ok({ NODE_ENV: 'development' })]) {
      expect(s.sandbox).toBe(true);
      expect(s.cluster).toMatchObject({ server: 'https://127.0.0.1:6443', caFile: resolve('.sandbox/pki/ca.crt'), kubeconfig: resolve('.sandbox/kubeconfig') });
      expect(s.oidc).toMatchObject({ issuer: 'https://127.0.0.1:5556/dex', clientId: 'kubevirt-portal', caFile: resolve('.sandbox/pki/ca.crt'), browserProxy: true });
    }
    expect(ok({}, ['--dev']).dev).toBe(true);
    expect(ok({ PORTAL_SANDBOX: 'true', SANDBOX_STATE_DIR: '/tmp/sbx' }).cluster.kubeconfig).toBe('/tmp/sbx/kubeconfig');
  });

  it("follows SANDBOX_PORT_OFFSET to a second sandbox's API server and Dex, as the launcher shifts them", () => {
    const s = ok({ PORTAL_SANDBOX: 'true', SANDBOX_PORT_OFFSET: '200' });
    expect(s.cluster.server).toBe('https://127.0.0.1:6643');
    expect(s.oidc).toMatchObject({ issuer: 'https://127.0.0.1:5756/dex', browserProxy: true });
  });

  it('keeps what is set explicitly, and does not proxy a configured issuer unless asked', () => {
    const s = ok({ PORTAL_SANDBOX: 'true', K8S_API_SERVER: 'https://127.0.0.1:7443/', OIDC_ISSUER: 'https://127.0.0.1:7556/dex/' });
    expect(s.cluster.server).toBe('https://127.0.0.1:7443');
    expect(s.oidc).toMatchObject({ issuer: 'https://127.0.0.1:7556/dex', browserProxy: false });
    expect(ok({ PORTAL_SANDBOX: 'true', OIDC_ISSUER: 'https://127.0.0.1:7556/dex', OIDC_BROWSER_PROXY: 'true' }).oidc?.browserProxy).toBe(true);
  });
});

describe('outside sandbox mode', () => {
  it('has no sandbox default: the cluster and the identity provider are named', () => {
    expect(variables({})).toEqual(['K8S_API_SERVER', 'OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET']);
    expect(variables({ NODE_ENV: 'production', PORTAL_SANDBOX: 'false' })).toEqual(['K8S_API_SERVER', 'OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET']);
    expect(problems({})[0]!.message).toMatch(/PORTAL_SANDBOX=true/);
    const s = ok(production);
    expect(s.sandbox).toBe(false);
    expect(s.cluster).toEqual({ server: 'https://k8s.example:6443', imagesNamespaces: ['kubevirt-os-images'] });
    expect(s.oidc).toMatchObject({ issuer: 'https://login.example/realms/x', clientId: 'portal', clientSecret: 's3cret', providerName: 'OpenID Connect', browserProxy: false });
    expect(s.oidc?.caFile).toBeUndefined();
  });

  it('needs the portal\'s kubeconfig where the portal acts with it, and no identity provider where nobody signs in', () => {
    expect(variables({ ...production, PORTAL_AUTH_MODE: 'impersonate' })).toEqual(['PORTAL_KUBECONFIG']);
    const single = ok({ K8S_API_SERVER: 'https://k8s.example:6443', PORTAL_AUTH_MODE: 'kubeconfig', PORTAL_KUBECONFIG: file });
    expect(single.oidc).toBeUndefined();
    expect(single.cluster.kubeconfig).toBe(file);
  });
});

describe('the portal\'s own credentials from a service-account token file', () => {
  it('stand in for a kubeconfig in impersonation mode, with the API server and CA named beside it', () => {
    const s = ok({ ...production, PORTAL_AUTH_MODE: 'impersonate', PORTAL_SERVICE_ACCOUNT_TOKEN_FILE: file, K8S_CA_FILE: file });
    expect(s.cluster).toMatchObject({ server: 'https://k8s.example:6443', caFile: file, serviceAccountTokenFile: file });
    expect(s.cluster.kubeconfig).toBeUndefined();
  });

  it('win over the sandbox\'s default kubeconfig, but are refused beside an explicit one', () => {
    expect(ok({ PORTAL_SANDBOX: 'true', PORTAL_AUTH_MODE: 'impersonate', PORTAL_SERVICE_ACCOUNT_TOKEN_FILE: file }).cluster).toMatchObject({ kubeconfig: undefined, serviceAccountTokenFile: file });
    expect(variables({ ...production, PORTAL_AUTH_MODE: 'impersonate', PORTAL_SERVICE_ACCOUNT_TOKEN_FILE: file, PORTAL_KUBECONFIG: file })).toEqual(['PORTAL_SERVICE_ACCOUNT_TOKEN_FILE']);
  });

  it('must exist when named', () => {
    expect(variables({ ...production, PORTAL_AUTH_MODE: 'impersonate', PORTAL_SERVICE_ACCOUNT_TOKEN_FILE: join(dir, 'no-token') })).toContain('PORTAL_SERVICE_ACCOUNT_TOKEN_FILE');
  });
});

describe('checking', () => {
  it('reports every bad and missing variable at once, without repeating secrets', () => {
    const env = { PORTAL_MAX_WATCHES: 'lots', PORTAL_AUTH_MODE: 'root', K8S_CA_FILE: join(dir, 'missing.crt'), NEXTAUTH_URL: 'portal.example', LOG_LEVEL: 'loud', PORTAL_SANDBOX: 'yes', OIDC_CLIENT_SECRET: ' ' };
    const found = problems(env);
    expect(found.map((p) => p.variable).sort()).toEqual(
      ['K8S_API_SERVER', 'K8S_CA_FILE', 'LOG_LEVEL', 'NEXTAUTH_URL', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_ISSUER', 'PORTAL_AUTH_MODE', 'PORTAL_MAX_WATCHES', 'PORTAL_SANDBOX'].sort(),
    );
    expect(found.find((p) => p.variable === 'PORTAL_MAX_WATCHES')?.message).toBe('must be a positive integer (got "lots")');
    const message = new SettingsError(problems({ ...production, NEXTAUTH_SECRET: 'x', PORTAL_SESSION_MAX_LIFETIME: 'forever', OIDC_CLIENT_SECRET: 'hunter2' })).message;
    expect(message).toMatch(/PORTAL_SESSION_MAX_LIFETIME/);
    expect(message).not.toMatch(/hunter2/);
  });

  it('takes an empty variable as unset', () => {
    expect(ok({ ...production, PORTAL_MAX_STREAMS_PER_USER: '', PORT: ' ', K8S_CA_FILE: '' }).limits.streamsPerUser).toBe(16);
  });

  it('reads the limits as positive integers', () => {
    const s = ok({ ...production, PORTAL_MAX_WATCHES_PER_USER: '40' });
    expect(s.limits).toMatchObject({ streamsPerUser: 16, watchesPerUser: 40, watchesTotal: 4096, streamQueueBytes: 4 * 1024 * 1024 });
    expect(variables({ ...production, PORTAL_MAX_STREAMS_PER_USER: '0' })).toEqual(['PORTAL_MAX_STREAMS_PER_USER']);
    expect(variables({ ...production, PORTAL_UPSTREAM_WAIT_MS: '1.5' })).toEqual(['PORTAL_UPSTREAM_WAIT_MS']);
  });

  it('reads the console caps and frame limits, with defaults', () => {
    expect(ok(production).consoles).toEqual({ perUser: 8, total: 256, maxFrameBytes: 1024 * 1024, bufferBytes: 1024 * 1024 });
    expect(ok({ ...production, PORTAL_MAX_CONSOLES_PER_USER: '2', PORTAL_MAX_CONSOLES: '10' }).consoles).toMatchObject({ perUser: 2, total: 10 });
    expect(variables({ ...production, PORTAL_MAX_CONSOLES: '-1', PORTAL_CONSOLE_MAX_FRAME_BYTES: 'lots' }).sort()).toEqual(['PORTAL_CONSOLE_MAX_FRAME_BYTES', 'PORTAL_MAX_CONSOLES']);
  });

  it.each([
    [undefined, 12 * 3600],
    ['3600', 3600],
    ['900s', 900],
    ['90m', 5400],
    ['8h', 28800],
    ['1d', 86400],
  ])('reads a session lifetime of %s', (v, seconds) => expect(ok({ ...production, ...(v ? { PORTAL_SESSION_MAX_LIFETIME: v } : {}) }).session.maxLifetimeS).toBe(seconds));

  it.each(['12 hours', '-1h', '1.5h', '10s', '60d', 'h'])('refuses a session lifetime of %j', (v) =>
    expect(variables({ ...production, PORTAL_SESSION_MAX_LIFETIME: v })).toEqual(['PORTAL_SESSION_MAX_LIFETIME']),
  );

  it('keeps revoked sessions in a file unless told to share them through a ConfigMap', () => {
    expect(ok(production).session.store).toEqual({ kind: 'file' });
    const shared = { ...production, PORTAL_SESSION_STORE: 'kubernetes', PORTAL_SESSION_STORE_NAMESPACE: 'portal', NEXTAUTH_SECRET: 'k' };
    expect(ok(shared).session.store).toEqual({ kind: 'kubernetes', namespace: 'portal', name: 'kubevirt-portal-sessions' });
    expect(ok({ ...shared, PORTAL_SESSION_STORE_NAME: 'sessions.v1' }).session.store).toMatchObject({ name: 'sessions.v1' });
    expect(ok({ PORTAL_SANDBOX: 'true', PORTAL_SESSION_STORE: 'kubernetes' }).session.store).toEqual({ kind: 'kubernetes', namespace: 'default', name: 'kubevirt-portal-sessions' });
  });

  it('refuses a shared session store without its namespace or a session secret every replica shares, and bad names', () => {
    expect(variables({ ...production, PORTAL_SESSION_STORE: 'kubernetes' }).sort()).toEqual(['NEXTAUTH_SECRET', 'PORTAL_SESSION_STORE_NAMESPACE']);
    expect(variables({ ...production, PORTAL_SESSION_STORE: 'redis' })).toEqual(['PORTAL_SESSION_STORE']);
    expect(variables({ ...production, PORTAL_SESSION_STORE_NAMESPACE: 'Team_A' })).toEqual(['PORTAL_SESSION_STORE_NAMESPACE']);
    expect(variables({ ...production, PORTAL_SESSION_STORE_NAME: 'a/b' })).toEqual(['PORTAL_SESSION_STORE_NAME']);
  });

  it('takes only true or false for a flag', () => {
    expect(ok({ ...production, PORTAL_ALLOW_REMOTE_KUBECONFIG_MODE: 'true' }).listen.allowRemoteKubeconfigMode).toBe(true);
    expect(variables({ ...production, PORTAL_ALLOW_REMOTE_KUBECONFIG_MODE: 'yes' })).toEqual(['PORTAL_ALLOW_REMOTE_KUBECONFIG_MODE']);
    expect(variables({ ...production, OIDC_BROWSER_PROXY: '1' })).toEqual(['OIDC_BROWSER_PROXY']);
  });

  it('reads the listening port and the public URL that defaults to it', () => {
    const s = ok({ ...production, PORT: '8080' });
    expect(s.listen.port).toBe(8080);
    expect(s.site.origin).toBe('http://localhost:8080');
    expect(variables({ ...production, PORT: '70000' })).toEqual(['PORT']);
  });

  it('reads the API server\'s prefixes as its flags write them', () => {
    expect(ok({ ...production, OIDC_USERNAME_PREFIX: '-', OIDC_GROUPS_PREFIX: 'oidc:' }).claims).toEqual({ usernameClaim: 'preferred_username', groupsClaim: 'groups', usernamePrefix: '', groupsPrefix: 'oidc:' });
  });
});

describe('the metrics port', () => {
  it('serves /metrics on the main port by default, or only on PORTAL_METRICS_PORT when that is set', () => {
    expect(ok(production).metrics).toEqual({ port: undefined });
    expect(ok({ ...production, PORTAL_METRICS_PORT: '9464' }).metrics).toEqual({ port: 9464 });
    expect(ok({ ...production, PORTAL_METRICS_PORT: '' }).metrics).toEqual({ port: undefined });
  });

  it('refuses a port that is not one, or the main port itself', () => {
    expect(variables({ ...production, PORTAL_METRICS_PORT: 'metrics' })).toEqual(['PORTAL_METRICS_PORT']);
    expect(variables({ ...production, PORTAL_METRICS_PORT: '0' })).toEqual(['PORTAL_METRICS_PORT']);
    expect(variables({ ...production, PORT: '8080', PORTAL_METRICS_PORT: '8080' })).toEqual(['PORTAL_METRICS_PORT']);
  });
});

describe('migration metrics', () => {
  it('in sandbox mode default to the simulator\'s text endpoint, shifted by SANDBOX_PORT_OFFSET', () => {
    expect(ok({ PORTAL_SANDBOX: 'true' }).migrationMetrics).toEqual({ source: 'exposition', url: 'http://127.0.0.1:8444/metrics' });
    expect(ok({ PORTAL_SANDBOX: 'true', SANDBOX_PORT_OFFSET: '100' }).migrationMetrics).toEqual({ source: 'exposition', url: 'http://127.0.0.1:8544/metrics' });
    expect(variables({ PORTAL_SANDBOX: 'true', SANDBOX_PORT_OFFSET: '-1' })).toEqual(['SANDBOX_PORT_OFFSET']);
  });

  it('outside it are off unless a source is named: Prometheus\'s query API or a text endpoint, not both', () => {
    expect(ok(production).migrationMetrics).toEqual({ source: 'none' });
    expect(ok({ ...production, SANDBOX_PORT_OFFSET: '100' }).migrationMetrics).toEqual({ source: 'none' });
    expect(ok({ ...production, PORTAL_PROMETHEUS_URL: 'http://prometheus.monitoring:9090/' }).migrationMetrics).toEqual({ source: 'prometheus', url: 'http://prometheus.monitoring:9090' });
    expect(ok({ ...production, PORTAL_MIGRATION_METRICS_URL: 'https://metrics.example/federate' }).migrationMetrics).toEqual({ source: 'exposition', url: 'https://metrics.example/federate' });
    expect(ok({ PORTAL_SANDBOX: 'true', PORTAL_PROMETHEUS_URL: 'http://127.0.0.1:9090' }).migrationMetrics.source).toBe('prometheus');
    expect(variables({ ...production, PORTAL_PROMETHEUS_URL: 'http://p:9090', PORTAL_MIGRATION_METRICS_URL: 'http://m/metrics' })).toEqual(['PORTAL_MIGRATION_METRICS_URL']);
    expect(variables({ ...production, PORTAL_PROMETHEUS_URL: 'prometheus:9090' })).toEqual(['PORTAL_PROMETHEUS_URL']);
  });
});
