// No 'server-only' marker: server.ts loads this for the console websockets (lib/ws/), outside Next's bundler.
import { readFileSync } from 'node:fs';
import { Agent as HttpsAgent, type Agent, type RequestOptions } from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { impersonationHeaders, type K8sIdentity } from './identity';
import { presentFile, settings } from '../settings';

// The one place that uses @kubernetes/client-node: it turns an identity into TLS options and headers. The HTTP
// itself is done by lib/k8s/transport.ts, so that every request to the API server shares one code path.

export interface Connection {
  server: string;
  agent: Agent; // short requests: lists, reviews, actions
  watchAgent: Agent; // long-lived watches, kept apart so open watches can never take the sockets requests need
  headers: Record<string, string | string[]>;
}

// The portal's own credentials, when they exist: a service-account token file (in a pod), or a kubeconfig (the
// sandbox's default appears only once the sandbox is up).
function portalCredentialsPresent(): boolean {
  const { serviceAccountTokenFile, kubeconfig } = settings().cluster;
  return Boolean(presentFile(serviceAccountTokenFile) ?? presentFile(kubeconfig));
}

function loadPortalKubeconfig(): KubeConfig {
  const { serviceAccountTokenFile } = settings().cluster;
  if (serviceAccountTokenFile) return serviceAccountKubeconfig(serviceAccountTokenFile);
  const file = presentFile(settings().cluster.kubeconfig);
  if (!file) throw new Error('PORTAL_KUBECONFIG is not set and no sandbox kubeconfig exists');
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  const context = settings().cluster.kubeconfigContext;
  if (context) kc.setCurrentContext(context);
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error(`kubeconfig ${file} has no current cluster`);
  if (!cluster.caFile && !cluster.caData && !cluster.skipTLSVerify && cluster.server.startsWith('https:')) {
    throw new Error(`kubeconfig ${file}: the cluster has no CA; set certificate-authority(-data)`);
  }
  return kc;
}

// Read at every client build: the kubelet rotates a projected service-account token in place (the file is swapped
// atomically), so a token kept from start would expire under a long-running portal.
function serviceAccountKubeconfig(tokenFile: string): KubeConfig {
  const token = readFileSync(/*turbopackIgnore: true*/ tokenFile, 'utf8').trim();
  if (!token) throw new Error(`service-account token file ${tokenFile} is empty`);
  return bearerKubeconfig(token, 'serviceaccount');
}

function tokenKubeconfig(token: string): KubeConfig {
  return bearerKubeconfig(token, 'user');
}

function bearerKubeconfig(token: string, user: string): KubeConfig {
  const { server, caFile } = settings().cluster;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'portal', server, caFile: presentFile(caFile), skipTLSVerify: false }],
    users: [{ name: user, token }],
    contexts: [{ name: 'portal', cluster: 'portal', user }],
    currentContext: 'portal',
  });
  return kc;
}

// Agents hold only the CA (and, for the portal's kubeconfig, its client certificate), never a user's token, so one
// keep-alive agent per credential base is shared by all requests.
const agents = ((globalThis as { __portalAgents?: Map<string, Agent> }).__portalAgents ??= new Map());

function agentFor(key: string, opts: RequestOptions, maxSockets: number, maxFreeSockets: number): Agent {
  let agent = agents.get(key);
  if (!agent) {
    // Same TLS material client-node worked out, plus keep-alive so requests reuse connections to the API server.
    agent = new HttpsAgent({
      ca: opts.ca,
      cert: opts.cert,
      key: opts.key,
      servername: opts.servername,
      rejectUnauthorized: opts.rejectUnauthorized,
      keepAlive: true,
      maxSockets,
      maxFreeSockets,
    });
    agents.set(key, agent);
  }
  return agent;
}

async function connectionOf(kc: KubeConfig, agentKey: string): Promise<Connection> {
  const opts: RequestOptions = { headers: {} };
  await kc.applyToHTTPSOptions(opts);
  // Requests: one user holds at most limits.requestsPerUser of these (client.ts), so others still find a socket.
  const agent = agentFor(agentKey, opts, 64, 64);
  // Watches hold their socket for minutes; their number is bounded by the per-user and total watch caps instead.
  const watchAgent = agentFor(`${agentKey}:watch`, opts, settings().limits.watchesTotal, 16);
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(opts.headers ?? {})) if (v !== undefined) headers[k] = v as string | string[];
  return { server: kc.getCurrentCluster()!.server.replace(/\/$/, ''), agent, watchAgent, headers };
}

export async function connectionFor(identity: K8sIdentity): Promise<Connection> {
  switch (identity.mode) {
    case 'token':
      return connectionOf(tokenKubeconfig(identity.token), 'token');
    case 'kubeconfig':
      return connectionOf(loadPortalKubeconfig(), 'portal');
    case 'impersonate': {
      // Checked before the portal's credentials are even loaded; taken from the verified session only.
      const impersonation = impersonationHeaders(identity);
      const conn = await connectionOf(loadPortalKubeconfig(), 'portal');
      // Whatever the kubeconfig itself says about impersonation never mixes with the session's identity.
      for (const k of Object.keys(conn.headers)) if (/^impersonate-/i.test(k)) delete conn.headers[k];
      Object.assign(conn.headers, impersonation);
      return conn;
    }
  }
}

// The portal's own connection, used only to discover candidate namespace names (never to act for a user).
export async function portalConnection(): Promise<Connection | undefined> {
  if (!portalCredentialsPresent()) return undefined;
  return connectionOf(loadPortalKubeconfig(), 'portal');
}

// The user name single-user mode acts as, shown in the UI's banner.
export function portalKubeconfigUser(): string {
  try {
    const kc = loadPortalKubeconfig();
    return kc.getCurrentUser()?.name ?? kc.getCurrentContext();
  } catch {
    return 'kubeconfig';
  }
}
