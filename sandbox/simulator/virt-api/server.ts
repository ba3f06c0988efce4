// virt-api: the aggregated API server for subresources.kubevirt.io. It accepts only requests proxied by the
// aggregator (TLS client certificate from the front-proxy CA), serves discovery without authorization like
// virt-api does, and hands every other request to the registered route handlers.
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';

export const subresourceGroup = 'subresources.kubevirt.io';
export const subresourceVersions = ['v1', 'v1alpha3'];

/** Subresources virt-api 1.6 lists in its discovery document (which carries no verbs). */
const discoveredSubresources = [
  'virtualmachineinstances/console', 'virtualmachineinstances/vnc', 'virtualmachineinstances/vnc/screenshot',
  'virtualmachineinstances/pause', 'virtualmachineinstances/unpause', 'virtualmachineinstances/reset',
  'virtualmachineinstances/softreboot', 'virtualmachineinstances/guestosinfo', 'virtualmachineinstances/userlist',
  'virtualmachineinstances/filesystemlist', 'virtualmachineinstances/addvolume', 'virtualmachineinstances/removevolume',
  'virtualmachineinstances/portforward', 'virtualmachines/portforward',
  'virtualmachines/start', 'virtualmachines/stop', 'virtualmachines/restart', 'virtualmachines/migrate',
  'virtualmachines/expand-spec', 'virtualmachines/addvolume', 'virtualmachines/removevolume', 'expand-vm-spec',
];

export interface Caller {
  user: string;
  groups: string[];
  extra: Record<string, string[]>;
}

/** Handles the request and returns true, or returns false to let the next handler try. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse, caller: Caller) => Promise<boolean> | boolean;
/** Same for websocket upgrades (console, vnc). */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer, caller: Caller) => Promise<boolean> | boolean;
/**
 * Admission webhooks, by path. Like virt-api, the same server serves them; the API server calls them directly
 * (not through the aggregator), so they carry no requestheader identity.
 */
export type AdmissionHandlers = Record<string, (req: IncomingMessage, res: ServerResponse) => Promise<void>>;

export interface VirtApiOptions {
  port: number;
  cert: string;
  key: string;
  /** The front-proxy CA: only the aggregator holds a client certificate it signed. */
  requestHeaderCa: string;
}

export function sendJson(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function discovery(path: string): unknown | undefined {
  const groupVersions = subresourceVersions.map((v) => ({ groupVersion: `${subresourceGroup}/${v}`, version: v }));
  if (path === '/apis') {
    return { kind: 'APIGroupList', apiVersion: 'v1', groups: [{ name: subresourceGroup, versions: groupVersions, preferredVersion: groupVersions[0] }] };
  }
  if (path === `/apis/${subresourceGroup}`) {
    // virt-api names the group in the singular here; kept for fidelity.
    return { kind: 'APIGroup', apiVersion: 'v1', name: 'subresource.kubevirt.io', versions: groupVersions, preferredVersion: groupVersions[0] };
  }
  for (const v of subresourceVersions) {
    if (path === `/apis/${subresourceGroup}/${v}`) {
      return {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: `${subresourceGroup}/${v}`,
        resources: discoveredSubresources.map((name) => ({
          name,
          singularName: '',
          namespaced: true,
          kind: name.startsWith('virtualmachineinstances') ? 'VirtualMachineInstance' : 'VirtualMachine',
          verbs: [],
        })),
      };
    }
    if (path === `/apis/${subresourceGroup}/${v}/healthz`) return { apiserver: 'ok', restful: 'ok' };
    if (path === `/apis/${subresourceGroup}/${v}/version`) {
      return { gitVersion: 'v1.6.0', gitCommit: 'sandbox', gitTreeState: 'clean', goVersion: 'sandbox', compiler: 'gc', platform: 'linux/amd64' };
    }
  }
  if (path === '/openapi/v2') return { swagger: '2.0', info: { title: 'KubeVirt API', version: 'v1.6.0' }, paths: {} };
  if (path === '/openapi/v3') return { paths: {} };
  return undefined;
}

/** The identity the aggregator vouches for, or undefined when the peer is not the aggregator. */
function callerOf(req: IncomingMessage): Caller | undefined {
  const socket = req.socket as TLSSocket;
  if (!socket.authorized) return undefined;
  const user = req.headers['x-remote-user'];
  if (typeof user !== 'string' || !user) return undefined;
  const groups = ([] as string[]).concat(req.headers['x-remote-group'] ?? []).flatMap((g) => g.split(','));
  const extra: Record<string, string[]> = {};
  for (const [h, v] of Object.entries(req.headers)) {
    if (h.startsWith('x-remote-extra-') && v !== undefined) {
      extra[decodeURIComponent(h.slice('x-remote-extra-'.length))] = ([] as string[]).concat(v);
    }
  }
  return { user, groups, extra };
}

export interface VirtApiHandlers {
  routes: RouteHandler[];
  upgrades: UpgradeHandler[];
  admission: AdmissionHandlers;
}

export function startVirtApi(opts: VirtApiOptions, handlers: VirtApiHandlers): Promise<https.Server> {
  const server = https.createServer(
    {
      cert: readFileSync(opts.cert),
      key: readFileSync(opts.key),
      ca: readFileSync(opts.requestHeaderCa),
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req, res) => {
      const path = new URL(req.url ?? '/', 'https://virt-api').pathname;
      const admit = req.method === 'POST' ? handlers.admission[path] : undefined;
      if (admit) {
        void admit(req, res).catch((e) => sendJson(res, 500, { error: String(e) }));
        return;
      }
      const doc = req.method === 'GET' ? discovery(path) : undefined;
      if (doc) return sendJson(res, 200, doc);
      const caller = callerOf(req);
      if (!caller) {
        res.writeHead(401, { 'content-type': 'text/plain' });
        res.end('request is not authenticated');
        return;
      }
      void (async () => {
        for (const route of handlers.routes) if (await route(req, res, caller)) return;
        sendJson(res, 404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'the server could not find the requested resource' });
      })().catch((e) => {
        if (!res.headersSent) sendJson(res, 500, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'InternalError', code: 500, message: `Internal error occurred: ${String(e)}` });
      });
    },
  );
  // The API server (Go) keeps idle connections to the webhooks for 90 s; Node closed them after 5 s, and a webhook call
  // sent on a connection just closed failed with "broken pipe", refusing the VM being created.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const caller = callerOf(req);
    if (!caller) {
      socket.end('HTTP/1.1 401 Unauthorized\r\ncontent-type: text/plain\r\n\r\nrequest is not authenticated');
      return;
    }
    void (async () => {
      for (const h of handlers.upgrades) if (await h(req, socket, head, caller)) return;
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
    })().catch(() => socket.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve(server));
  });
}
