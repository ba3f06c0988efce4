// Configuration files the components read: kubeconfigs, the API server's authentication and audit configuration,
// and Dex's configuration. Written on every `up` (cheap, and keeps them in step with the code).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import YAML from 'yaml';
import { paths, ports, stateDir, urls } from './paths.ts';
import { pki } from './pki.ts';
import { oidcClient, users } from './users.ts';

const cfg = (name: string) => join(paths.config, name);

export const configFiles = {
  authentication: cfg('authentication.yaml'),
  auditPolicy: cfg('audit-policy.yaml'),
  dex: cfg('dex.yaml'),
  kubeconfig: (name: string) => (name === 'admin' ? paths.adminKubeconfig : cfg(`${name}.kubeconfig`)),
};

function writeYaml(file: string, obj: unknown) {
  writeFileSync(file, YAML.stringify(obj), { mode: 0o600 });
}

/** A kubeconfig that authenticates with one of the sandbox's client certificates (inlined, so it can be copied). */
function writeKubeconfig(name: string, certName: string) {
  const { cert, key } = pki.cert(certName);
  const b64 = (f: string) => readFileSync(f).toString('base64');
  writeYaml(configFiles.kubeconfig(name), {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'sandbox', cluster: { server: urls.apiserver, 'certificate-authority-data': b64(pki.caCert) } }],
    users: [
      { name, user: { 'client-certificate-data': b64(cert), 'client-key-data': b64(key) } },
      // No credentials of its own: `--context sandbox-oidc --token <ID token>` acts as that token's user.
      { name: 'oidc', user: {} },
    ],
    contexts: [
      { name: 'sandbox', context: { cluster: 'sandbox', user: name } },
      { name: 'sandbox-oidc', context: { cluster: 'sandbox', user: 'oidc' } },
    ],
    'current-context': 'sandbox',
  });
}

function writeAuthenticationConfig() {
  // Usernames are the IdP's preferred_username and groups its groups claim, both without prefixes, so RBAC
  // subjects read `User dev-a` and `Group team-a`.
  writeYaml(configFiles.authentication, {
    apiVersion: 'apiserver.config.k8s.io/v1',
    kind: 'AuthenticationConfiguration',
    jwt: [
      {
        issuer: {
          url: urls.dexIssuer,
          audiences: [oidcClient.id],
          certificateAuthority: readFileSync(pki.caCert, 'utf8'),
        },
        claimMappings: {
          username: { claim: 'preferred_username', prefix: '' },
          groups: { claim: 'groups', prefix: '' },
          uid: { claim: 'sub' },
        },
        userValidationRules: [
          { expression: "!user.username.startsWith('system:')", message: 'username cannot use the reserved system: prefix' },
        ],
      },
    ],
  });
}

function writeAuditPolicy() {
  // Who did what: metadata for everything except the noise of leases, events and health probes.
  writeYaml(configFiles.auditPolicy, {
    apiVersion: 'audit.k8s.io/v1',
    kind: 'Policy',
    omitStages: ['RequestReceived'],
    rules: [
      { level: 'None', resources: [{ group: 'coordination.k8s.io', resources: ['leases'] }] },
      { level: 'None', resources: [{ group: '', resources: ['events'] }, { group: 'events.k8s.io', resources: ['events'] }] },
      { level: 'None', nonResourceURLs: ['/healthz*', '/readyz*', '/livez*', '/version'] },
      { level: 'None', verbs: ['get', 'update', 'patch'], resources: [{ group: '', resources: ['nodes/status'] }] },
      { level: 'Metadata' },
    ],
  });
}

function writeDexConfig() {
  const { cert, key } = pki.cert('dex');
  writeYaml(configFiles.dex, {
    issuer: urls.dexIssuer,
    // Persistent, so that a restarted Dex signs with the same keys: the API server's OIDC authenticator caches
    // the issuer's keys until their Cache-Control expiry and would reject tokens signed with fresh ones.
    storage: { type: 'sqlite3', config: { file: join(stateDir, 'dex.db') } },
    web: { https: `127.0.0.1:${ports.dex}`, tlsCert: cert, tlsKey: key },
    logger: { level: 'info', format: 'json' },
    expiry: {
      idTokens: process.env.SANDBOX_ID_TOKEN_TTL ?? '15m',
      refreshTokens: { validIfNotUsedFor: '24h', absoluteLifetime: '168h' },
    },
    oauth2: {
      // Lets scripts and tests obtain tokens with the resource-owner password grant.
      passwordConnector: 'local',
      skipApprovalScreen: true,
      grantTypes: ['authorization_code', 'refresh_token', 'password'],
      responseTypes: ['code'],
    },
    enablePasswordDB: true,
    staticClients: [
      { id: oidcClient.id, secret: oidcClient.secret, name: 'KubeVirt Portal', redirectURIs: oidcClient.redirectURIs },
    ],
    staticPasswords: users.map((u, i) => ({
      email: u.email,
      username: u.username,
      preferredUsername: u.username,
      userID: `0000000${i}-0000-4000-8000-00000000000${i}`,
      groups: u.groups,
      // Cost 10 is the minimum Dex accepts for static passwords.
      hash: bcrypt.hashSync(u.username, 10),
    })),
  });
}

export function writeConfigFiles() {
  mkdirSync(paths.config, { recursive: true, mode: 0o700 });
  writeKubeconfig('admin', 'admin');
  writeKubeconfig('controller-manager', 'controller-manager');
  writeKubeconfig('scheduler', 'scheduler');
  writeKubeconfig('simulator', 'simulator');
  writeAuthenticationConfig();
  writeAuditPolicy();
  writeDexConfig();
}
