import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

// The portal's own websocket endpoints (consoles, later) register here by path prefix; everything else, notably
// Next's HMR socket in development, goes to Next's upgrade handler untouched.
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

export class UpgradeRouter {
  private readonly routes: { prefix: string; handler: UpgradeHandler }[] = [];

  constructor(private readonly fallback: UpgradeHandler) {}

  add(prefix: string, handler: UpgradeHandler): void {
    this.routes.push({ prefix, handler });
  }

  handle(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = this.routes.find((r) => path === r.prefix || path.startsWith(r.prefix + '/'));
    (route ? route.handler : this.fallback)(req, socket, head);
  }
}
