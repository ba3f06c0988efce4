// virt-api's VM/VMI subresource routes for the aggregated server in server.ts: each request's path is parsed once,
// the caller is authorized with a SubjectAccessReview (authorize.ts), and the subresource's handler answers.
// Subresources not served here (expand-spec, …) are left to other handlers (return false).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { KubeClient } from '../kube/client.ts';
import { authorize, writeDenial, writeDenialRaw } from './authorize.ts';
import { type ConsoleKind, ConsoleProxy } from './consoles.ts';
import { type Deps, type DomainLookup, runningDomains } from './context.ts';
import { filesystemList, guestOSInfo, userList, vncScreenshot } from './guest.ts';
import { pauseVMI, resetVMI, restartVM, softRebootVMI, startVM, stopVM, unpauseVMI } from './lifecycle.ts';
import { migrateVM } from './migrate.ts';
import { PortForwarder, portForwardTarget } from './portforward.ts';
import { addVolume, addVolumeVMI, removeVolume, removeVolumeVMI } from './volumes.ts';
import { type Reply, replyOf, writeReply } from './reply.ts';
import { type SubresourceKind, type SubresourcePath, parseSubresourcePath, readBody } from './request.ts';
import type { Caller, RouteHandler, UpgradeHandler } from './server.ts';

interface Route {
  method: 'GET' | 'PUT';
  handle: (deps: Deps, p: SubresourcePath, req: IncomingMessage) => Promise<Reply>;
}

export function routeTable(consoles: ConsoleProxy): Record<SubresourceKind, Record<string, Route>> {
  const put = (fn: (deps: Deps, ns: string, name: string, body: string) => Promise<Reply>): Route => ({
    method: 'PUT',
    handle: async (deps, p, req) => fn(deps, p.namespace, p.name, await readBody(req)),
  });
  const get = (fn: (deps: Deps, ns: string, name: string, req: IncomingMessage) => Promise<Reply>): Route => ({
    method: 'GET',
    handle: (deps, p, req) => fn(deps, p.namespace, p.name, req),
  });
  const consoleGet = (kind: ConsoleKind) => get((_d, ns, name, req) => consoles.plainGet(kind, ns, name, req.url));
  return {
    virtualmachines: {
      start: put(startVM),
      stop: put(stopVM),
      restart: put(restartVM),
      migrate: put(migrateVM),
      addvolume: put(addVolume),
      removevolume: put(removeVolume),
    },
    virtualmachineinstances: {
      pause: put(pauseVMI),
      unpause: put(unpauseVMI),
      // reset and softreboot take no options: virt-api hands the body to virt-handler unread.
      reset: put((d, ns, name) => resetVMI(d, ns, name)),
      softreboot: put((d, ns, name) => softRebootVMI(d, ns, name)),
      addvolume: put(addVolumeVMI),
      removevolume: put(removeVolumeVMI),
      guestosinfo: get(guestOSInfo),
      userlist: get(userList),
      filesystemlist: get(filesystemList),
      // virt-api asks virt-handler for the screenshot's VNC stream with preserveSession=true: an open viewer wins.
      'vnc/screenshot': get((d, ns, name, req) =>
        vncScreenshot(d, ns, name, new URL(req.url ?? '/', 'https://virt-api').searchParams.get('moveCursor') === 'true', (vmi) => consoles.vncInUse(vmi)),
      ),
      console: consoleGet('console'),
      vnc: consoleGet('vnc'),
    },
  };
}

export interface VirtApiRoutes {
  routes: RouteHandler[];
  upgrades: UpgradeHandler[];
  /** Ends every open console / vnc stream (for shutdown). */
  closeStreams: () => Promise<void>;
}

/**
 * The subresource handlers to hand to startVirtApi(): `{ routes, upgrades }` (plus `closeStreams` for shutdown).
 * `domains` defaults to the simulator's running domains (handler/domains.ts).
 */
export function virtApiHandlers(kube: KubeClient, options: { domains?: DomainLookup } = {}): VirtApiRoutes {
  const deps: Deps = { kube, domains: options.domains ?? runningDomains };
  const consoles = new ConsoleProxy(deps);
  const forwarder = new PortForwarder(deps);
  const table = routeTable(consoles);

  const route: RouteHandler = async (req: IncomingMessage, res: ServerResponse, caller: Caller) => {
    const p = parseSubresourcePath(req.url ?? '/');
    if (!p) return false;
    const routes = table[p.resource];
    const forward = portForwardTarget(p.subresource);
    const r: Route | undefined = forward
      ? { method: 'GET', handle: () => forwarder.plainGet(p, forward) }
      : Object.hasOwn(routes, p.subresource) ? routes[p.subresource] : undefined;
    if (!r) return false;
    const method = req.method ?? 'GET';
    const decision = await authorize(kube, caller, method, p);
    if (!decision.allowed) {
      writeDenial(res, decision);
      return true;
    }
    if (method !== r.method) {
      // go-restful: the path exists but not for this method (after the authorization filter has run).
      res.writeHead(405, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('405: Method Not Allowed');
      return true;
    }
    writeReply(res, await replyOf(() => r.handle(deps, p, req)));
    return true;
  };

  const upgrade: UpgradeHandler = async (req: IncomingMessage, socket: Duplex, head: Buffer, caller: Caller) => {
    const p = parseSubresourcePath(req.url ?? '/');
    if (!p) return false;
    const forward = portForwardTarget(p.subresource);
    const console = p.resource === 'virtualmachineinstances' && (p.subresource === 'console' || p.subresource === 'vnc');
    if (!forward && !console) return false;
    const decision = await authorize(kube, caller, req.method ?? 'GET', p);
    if (!decision.allowed) {
      writeDenialRaw(socket, decision);
      return true;
    }
    if (forward) await forwarder.upgrade(p, forward, req, socket, head);
    else await consoles.upgrade(p.subresource as ConsoleKind, p.namespace, p.name, req, socket, head);
    return true;
  };

  const closeStreams = async () => {
    forwarder.closeAll();
    await consoles.closeAll();
  };
  return { routes: [route], upgrades: [upgrade], closeStreams };
}
