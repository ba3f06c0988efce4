// Console websockets for the benchmarks, to a VM's serial console or VNC either through the portal
// (/api/consoles/<ns>/<name>/serial|vnc, the session cookie and the portal's own Origin, as a browser sends them) or
// straight to KubeVirt's subresource on the API server (a bearer token, the sandbox's CA). Both sides alike:
// subprotocol plain.kubevirt.io, no compression (the portal dials KubeVirt without it too), binary frames. Sockets
// open paused, so a VNC server's first bytes wait until the reader listens (resume()).
import { readFileSync } from 'node:fs';
import WebSocket, { type RawData } from 'ws';
import { apiServer } from './kube.ts';
import { pki } from '../../sandbox/launcher/pki.ts';
import { CONSOLE_SUBPROTOCOL, consolePath, type ConsoleKind } from '../../lib/shared/console-protocol.ts';

export type { ConsoleKind };


function opened(ws: WebSocket, what: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    ws.once('open', () => {
      ws.pause();
      resolve(ws);
    });
    ws.once('error', (err) => reject(new Error(`${what}: ${err.message}`)));
    ws.once('unexpected-response', (req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        req.destroy();
        reject(new Error(`${what} refused: ${res.statusCode} ${Buffer.concat(chunks).toString().slice(0, 300)}`));
      });
    });
  });
}

/** A console through the portal at `portal` (http://localhost:3000), as the user of `cookie`. */
export function openPortalConsole(portal: string, cookie: string, kind: ConsoleKind, ns: string, name: string): Promise<WebSocket> {
  const origin = new URL(portal).origin;
  const url = origin.replace(/^http/, 'ws') + consolePath(kind, ns, name);
  const ws = new WebSocket(url, [CONSOLE_SUBPROTOCOL], { headers: { cookie, origin }, perMessageDeflate: false, handshakeTimeout: 20_000 });
  ws.on('error', () => undefined); // after open, errors end in 'close', which the readers watch
  return opened(ws, `portal ${kind} ${ns}/${name}`);
}

let caCache: Buffer | undefined;

/** KubeVirt's console or vnc subresource of the VMI, straight through the API server, with a bearer token. */
export function openDirectConsole(token: string, kind: ConsoleKind, ns: string, name: string): Promise<WebSocket> {
  caCache ??= readFileSync(pki.caCert);
  const sub = kind === 'serial' ? 'console' : 'vnc';
  const url = `${apiServer().replace(/^http/, 'ws')}/apis/subresources.kubevirt.io/v1/namespaces/${ns}/virtualmachineinstances/${name}/${sub}`;
  const ws = new WebSocket(url, [CONSOLE_SUBPROTOCOL], { ca: caCache, headers: { authorization: `Bearer ${token}` }, perMessageDeflate: false, handshakeTimeout: 20_000 });
  ws.on('error', () => undefined);
  return opened(ws, `direct ${kind} ${ns}/${name}`);
}

/** Closes with 1000 and waits for the close to finish (terminates after timeoutMs). */
export function closeSocket(ws: WebSocket, timeoutMs = 5000): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      ws.terminate();
      resolve();
    }, timeoutMs);
    ws.once('close', () => {
      clearTimeout(t);
      resolve();
    });
    if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
    else if (ws.readyState === WebSocket.OPEN) ws.close(1000);
  });
}

// ---- the serial console

/** The guest shell's prompt (sandbox/guest: `root@<hostname>:~# `; the hostname is the VM's name). */
export const promptOf = (host: string) => `root@${host}`;

/**
 * Letters to type whose echo cannot be mistaken: none of them is in the prompt (a late prompt after the Enters that
 * woke the shell must not count as an echo) nor in the escape sequences busybox's line editor answers a backspace
 * with (they are upper case or punctuation).
 */
export function probeLetters(host: string): string[] {
  const avoid = new Set(`${promptOf(host)}:~# `.toLowerCase());
  const letters = [...'abcdefghijklmnopqrstuvwxyz'].filter((c) => !avoid.has(c));
  if (letters.length === 0) throw new Error(`no letter is free of the prompt ${promptOf(host)}`);
  return letters;
}

/** busybox's line editor echoes a backspace at the end of the line as "\b" (then clears to the end: ESC [ J). */
export const BACKSPACE = '\x7f';
export const BACKSPACE_ECHO = /\x08|\x1b\[\d*D/;

const toBuffer = (data: RawData): Buffer => (Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data));

interface Waiter {
  test: (text: string) => boolean;
  resolve: (at: number) => void;
  reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** A serial console's output as text since the last mark, with waits on it that resolve at the arrival time. */
export class SerialProbe {
  private text = '';
  private waiters = new Set<Waiter>();
  private lastDataAt = performance.now();
  closed?: { code: number; reason: string; at: number };
  bytesIn = 0;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (!isBinary) return;
      const at = performance.now();
      const b = toBuffer(data);
      this.bytesIn += b.length;
      this.lastDataAt = at;
      this.text += b.toString('latin1');
      // What a wait looks for is recent; the rest need not be kept (long-running sessions).
      if (this.text.length > 64 * 1024) this.text = this.text.slice(-16 * 1024);
      for (const w of [...this.waiters]) {
        if (w.test(this.text)) {
          this.waiters.delete(w);
          clearTimeout(w.timer);
          w.resolve(at);
        }
      }
    });
    ws.on('close', (code: number, reason: Buffer) => {
      this.closed = { code, reason: reason.toString(), at: performance.now() };
      for (const w of this.waiters) {
        clearTimeout(w.timer);
        w.reject(new Error(`serial console closed: ${code} ${reason.toString()}`));
      }
      this.waiters.clear();
    });
    ws.resume();
  }

  send(s: string): void {
    this.ws.send(Buffer.from(s, 'latin1'));
  }

  /** Forgets the output so far: later waits look only at what arrives after this. */
  mark(): void {
    this.text = '';
  }

  get output(): string {
    return this.text;
  }

  /** Resolves with the arrival time (performance.now()) of the data that made the output since the mark match. */
  waitFor(what: string | RegExp, timeoutMs: number): Promise<number> {
    const test = typeof what === 'string' ? (t: string) => t.includes(what) : (t: string) => what.test(t);
    if (this.closed) return Promise.reject(new Error(`serial console closed: ${this.closed.code} ${this.closed.reason}`));
    if (test(this.text)) return Promise.resolve(performance.now());
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        test,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(w);
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${JSON.stringify(String(what))}; got ${JSON.stringify(this.text.slice(-200))}`));
        }, timeoutMs),
      };
      this.waiters.add(w);
    });
  }

  /** Waits until nothing has arrived for quietMs (at most maxMs). */
  async quiet(quietMs = 300, maxMs = 5000): Promise<void> {
    const end = performance.now() + maxMs;
    while (performance.now() < end) {
      const idle = performance.now() - this.lastDataAt;
      if (idle >= quietMs) return;
      await new Promise((r) => setTimeout(r, quietMs - idle + 5));
    }
  }

  /** Presses Enter (as xterm.js sends it) every second until the shell's prompt shows, then lets the echoes settle. */
  async prompt(host: string, timeoutMs = 120_000): Promise<void> {
    this.mark();
    this.send('\r');
    const poke = setInterval(() => this.send('\r'), 1000);
    try {
      await this.waitFor(promptOf(host), timeoutMs);
    } finally {
      clearInterval(poke);
    }
    await this.quiet(500, 5000);
    this.mark();
  }

  /** Types one letter and resolves with the time until its echo arrived, in ms. */
  async keystroke(letter: string, timeoutMs = 10_000): Promise<number> {
    this.mark();
    const echoed = this.waitFor(letter, timeoutMs);
    const t0 = performance.now();
    this.send(letter);
    return (await echoed) - t0;
  }

  /** Types a backspace and waits for its echo, so the command line is empty again. */
  async backspace(timeoutMs = 10_000): Promise<void> {
    this.mark();
    const echoed = this.waitFor(BACKSPACE_ECHO, timeoutMs);
    this.send(BACKSPACE);
    await echoed;
  }
}
