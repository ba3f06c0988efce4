import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

// The portal's own websocket endpoints (the consoles, lib/ws/) register here by path prefix. Next's own upgrades
// (its development HMR socket, under /_next/) go to Next's upgrade handler. Any other upgrade is answered 404 and
// closed at once: Next's handler leaves an upgrade it does not know hanging open.
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

const NEXT_PREFIX = '/_next/';

export class UpgradeRouter {
  private readonly routes: { prefix: string; handler: UpgradeHandler }[] = [];

  constructor(private readonly next: UpgradeHandler) {}

  add(prefix: string, handler: UpgradeHandler): void {
    this.routes.push({ prefix, handler });
  }

  handle(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = this.routes.find((r) => path === r.prefix || path.startsWith(r.prefix + '/'));
    if (route) route.handler(req, socket, head);
    else if (path.startsWith(NEXT_PREFIX)) this.next(req, socket, head);
    else refuseUnknown(socket);
  }
}

function refuseUnknown(socket: Duplex): void {
  socket.on('error', () => undefined);
  const body = JSON.stringify({ error: { code: 'not_found', message: 'There is no websocket at this address.' } });
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  // Destroyed once the answer is written, whatever the client does with its end.
  socket.end(`HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`, () => socket.destroy());
  setTimeout(() => socket.destroy(), 1000).unref?.();
}
